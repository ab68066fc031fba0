"""Process-wide settings, read from the environment (prefix ``HIRE_``) and an optional ``.env`` file.

Every field is mirrored in ``.env.example``. Per-run values (the recruiter, the project) travel in the
LangGraph runtime context instead, never here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from memory.model_path import default_model_path

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HIRE_", env_file=".env", extra="ignore", env_ignore_empty=True)

    data_dir: Path = Field(
        default=ROOT / "var",
        description="Folder for everything the embedded default writes: database, Chroma, checkpoints.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the system of record. Empty: a SQLite file at DATA_DIR/hire.db. "
        "At scale: postgresql+psycopg://user@host:5432/dbname.",
    )
    checkpoint_url: str = Field(
        default="",
        description="Where LangGraph checkpoints go. Empty: SQLite file at DATA_DIR/checkpoints.db; "
        "a postgresql:// URL selects the PostgreSQL saver.",
    )
    chroma_path: str = Field(
        default="",
        description="Chroma persistent folder for cognitive memory and vectors. Empty: DATA_DIR/chroma.",
    )
    chroma_url: str = Field(
        default="", description="Chroma server URL (http://host:8000). When set it is used instead of CHROMA_PATH."
    )
    shared_data_dir: Path = Field(
        default=ROOT.parent / "shared" / "data",
        description="Raw public data (O*NET, BLS, resumes) used to rebuild the taxonomy and import demo resumes.",
    )

    llm_base_url: str = Field(
        default="",
        description="OpenAI-compatible endpoint for every role (vLLM, llama.cpp server, Ollama). "
        "Empty: the classical brain answers every step.",
    )
    llm_api_key: SecretStr = Field(default=SecretStr(""), description="API key for LLM_BASE_URL, if it needs one.")
    llm_model: str = Field(default="", description="Model name served at LLM_BASE_URL, used by every role.")
    planner_base_url: str = Field(default="", description="Endpoint for the planner role; empty: LLM_BASE_URL.")
    planner_model: str = Field(default="", description="Model for the planner role; empty: LLM_MODEL.")
    evaluator_base_url: str = Field(default="", description="Endpoint for the evaluator role; empty: LLM_BASE_URL.")
    evaluator_model: str = Field(default="", description="Model for the evaluator role; empty: LLM_MODEL.")
    writer_base_url: str = Field(default="", description="Endpoint for the writer role; empty: LLM_BASE_URL.")
    writer_model: str = Field(default="", description="Model for the writer role; empty: LLM_MODEL.")
    llm_timeout_s: float = Field(default=60.0, gt=0, description="Per-request timeout for LLM calls, seconds.")
    llm_max_retries: int = Field(default=2, ge=0, description="Retries with backoff for a failed LLM request.")
    llm_seed: int = Field(default=7, description="Seed sent with every LLM request so repeated runs agree.")

    embedding_model_path: str = Field(
        default_factory=default_model_path,
        description="Folder of the sentence-transformers embedding model. Default: the packaged all-MiniLM-L6-v2.",
    )
    redis_url: str = Field(
        default="", description="Redis URL for real-time events at scale (redis://127.0.0.1:6379/0). Empty: in-process."
    )

    agent_top_k: int = Field(default=25, ge=1, le=500,
                             description="Candidates the evaluation judges qualification by qualification.")
    agent_calibration_size: int = Field(default=10, ge=0, le=50, description="Candidates the recruiter rates "
                                        "before the full sourcing run; 0 skips calibration.")
    agent_concurrency: int = Field(default=8, ge=1, le=64, description="Per-candidate judgements in flight at once.")

    runtime_url: str = Field(
        default="", description="Database of the durable runtime (DBOS: background runs, mailboxes, schedules). "
        "Empty: a SQLite file at DATA_DIR/runtime.db, or the PostgreSQL database of DATABASE_URL when it is one.")
    worker_id: str = Field(default="", description="This process's worker name (its DBOS executor id): a restarted "
                           "worker with the same name resumes the work it held. Empty: the host name.")
    worker_concurrency: int = Field(default=1, ge=1, le=64, description="Batches of a background run one worker "
                                    "process judges at once.")
    in_process_workers: bool = Field(default=True, description="The web app runs the background work itself; "
                                     "false when `hire worker` processes do it.")
    run_batch_size: int = Field(default=1000, ge=1, le=1_000_000, description="Candidates per checkpointed batch of a "
                                "background run.")
    run_depth: int = Field(default=0, ge=0, description="Candidates a background run judges at most; 0: every match "
                           "in the talent store.")
    run_rounds: int = Field(default=1, ge=0, le=5, description="Rounds of broadened queries after the first, "
                            "for queries whose judged precision is high.")
    run_llm_cutoff: float = Field(default=0.8, ge=0, le=1, description="With an LLM evaluator, candidates whose "
                                  "classical score reaches this are judged again by the LLM.")
    mailbox_attempts: int = Field(default=3, ge=1, le=10, description="Tries of a mailbox message (with backoff) "
                                  "before it is parked for the recruiter.")
    refresh_cron: str = Field(default="0 6 * * *", description="When the daily refresh runs (cron, UTC).")

    max_upload_mb: float = Field(default=10.0, gt=0, description="Largest resume file the importer accepts, MiB.")
    demo_profiles: int = Field(
        default=5000, ge=0, description="Profiles `make run` generates into a new database."
    )
    demo_seed: int = Field(default=7, description="Seed of the demo talent pool.")

    host: str = Field(default="127.0.0.1", description="Address the web app listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the web app listens on.")
    auth_header: str = Field(
        default="",
        description="HTTP header carrying the signed-in recruiter's email when the app runs behind an SSO proxy, "
        "e.g. X-Forwarded-Email; empty: password login.",
    )
    demo_password: str = Field(
        default="demo-recruiter",
        description="Password of the demo recruiter demo@hiring.local, created by `hire init --demo`.",
    )
    chainlit_auth_secret: SecretStr = Field(
        default=SecretStr(""),
        description="Secret that signs the browser session; empty: one is generated into DATA_DIR/.chainlit_secret.",
    )

    @field_validator("data_dir", "shared_data_dir", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def db_url(self) -> str:
        """The effective system-of-record URL."""
        return self.database_url or f"sqlite:///{self.data_dir / 'hire.db'}"

    def role_endpoint(self, role: str) -> tuple[str, str]:
        """(base URL, model) for a role (planner, evaluator, writer); empty strings mean the classical brain."""
        base = getattr(self, f"{role}_base_url") or self.llm_base_url
        model = getattr(self, f"{role}_model") or self.llm_model
        return base, model


@cache
def get_settings() -> Settings:
    return Settings()
