"""Initial schema: organisations, recruiters, profiles, projects, pipeline, evaluations, messages,
approvals, recruiter actions, mailbox and the append-only audit log (UPDATE/DELETE rejected by triggers).

Revision ID: 0001
Revises:
Create Date: 2026-11-25 08:20:09.383030
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisations_slug'))
    )
    op.create_table('skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('hot', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skills')),
    sa.UniqueConstraint('name', name=op.f('uq_skills_name'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('actor_type', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=True),
    sa.Column('subject_id', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_audit_log_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_log_hash'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('profiles',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('dedupe_scope', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=True),
    sa.Column('headline', sa.String(length=500), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('current_title', sa.String(length=300), nullable=True),
    sa.Column('current_company', sa.String(length=300), nullable=True),
    sa.Column('occupation_code', sa.String(length=10), nullable=True),
    sa.Column('seniority', sa.String(length=16), nullable=True),
    sa.Column('years_experience', sa.Float(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('metro_code', sa.String(length=16), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('open_to_work', sa.Boolean(), nullable=False),
    sa.Column('raw_text', sa.Text(), nullable=False),
    sa.Column('ground_truth', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'member' AND organisation_id IS NULL) OR (kind = 'applicant' AND organisation_id IS NOT NULL)", name=op.f('ck_profiles_owner_matches_kind')),
    sa.CheckConstraint("kind IN ('member', 'applicant')", name=op.f('ck_profiles_kind_valid')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_profiles_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profiles')),
    sa.UniqueConstraint('dedupe_scope', 'content_hash', name=op.f('uq_profiles_dedupe_scope_content_hash'))
    )
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profiles_country'), ['country'], unique=False)
        batch_op.create_index('ix_profiles_occupation_metro', ['occupation_code', 'metro_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_profiles_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_profiles_updated_at'), ['updated_at'], unique=False)

    op.create_table('recruiters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('autonomy', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_recruiters_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recruiters')),
    sa.UniqueConstraint('email', name=op.f('uq_recruiters_email'))
    )
    with op.batch_alter_table('recruiters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruiters_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('mailbox_messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recruiter_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=128), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=128), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('available_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'claimed', 'done', 'failed')", name=op.f('ck_mailbox_messages_status_valid')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_mailbox_messages_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recruiter_id'], ['recruiters.id'], name=op.f('fk_mailbox_messages_recruiter_id_recruiters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailbox_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_mailbox_messages_dedupe_key'))
    )
    with op.batch_alter_table('mailbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailbox_messages_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailbox_messages_recruiter_id'), ['recruiter_id'], unique=False)
        batch_op.create_index('ix_mailbox_ready', ['status', 'available_at', 'priority'], unique=False)

    op.create_table('profile_educations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('profile_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('school', sa.String(length=300), nullable=True),
    sa.Column('degree', sa.String(length=200), nullable=True),
    sa.Column('field_of_study', sa.String(length=200), nullable=True),
    sa.Column('end_year', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_profile_educations_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_educations'))
    )
    with op.batch_alter_table('profile_educations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_educations_profile_id'), ['profile_id'], unique=False)

    op.create_table('profile_experiences',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('profile_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('company', sa.String(length=300), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('occupation_code', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_profile_experiences_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_experiences'))
    )
    with op.batch_alter_table('profile_experiences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_experiences_profile_id'), ['profile_id'], unique=False)

    op.create_table('profile_skills',
    sa.Column('profile_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_profile_skills_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_profile_skills_skill_id_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'skill_id', name=op.f('pk_profile_skills'))
    )
    with op.batch_alter_table('profile_skills', schema=None) as batch_op:
        batch_op.create_index('ix_profile_skills_skill', ['skill_id', 'profile_id'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recruiter_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('requirements', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_projects_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recruiter_id'], ['recruiters.id'], name=op.f('fk_projects_recruiter_id_recruiters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_recruiter_id'), ['recruiter_id'], unique=False)

    op.create_table('approvals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recruiter_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("decision IN ('approved', 'rejected', 'edited')", name=op.f('ck_approvals_decision_valid')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_approvals_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_approvals_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recruiter_id'], ['recruiters.id'], name=op.f('fk_approvals_recruiter_id_recruiters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals'))
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approvals_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approvals_project_id'), ['project_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('profile_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recruiter_id', sa.Integer(), nullable=True),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("direction IN ('outbound', 'inbound')", name=op.f('ck_messages_direction_valid')),
    sa.CheckConstraint("status IN ('draft', 'approved', 'sent', 'failed', 'received')", name=op.f('ck_messages_status_valid')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_messages_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_messages_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_messages_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recruiter_id'], ['recruiters.id'], name=op.f('fk_messages_recruiter_id_recruiters'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_messages_idempotency_key'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_project_id'), ['project_id'], unique=False)

    op.create_table('pipeline_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('source_query', sa.Text(), nullable=True),
    sa.Column('classical_score', sa.Double(), nullable=True),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('recommendation', sa.String(length=32), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_pipeline_entries_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_pipeline_entries_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_pipeline_entries_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pipeline_entries')),
    sa.UniqueConstraint('project_id', 'profile_id', name=op.f('uq_pipeline_entries_project_id_profile_id'))
    )
    with op.batch_alter_table('pipeline_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pipeline_entries_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pipeline_entries_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pipeline_entries_project_id'), ['project_id'], unique=False)

    op.create_table('qualifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('weight', sa.Double(), nullable=False),
    sa.Column('skills', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('titles', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('inferred', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('policy', sa.String(length=16), nullable=False),
    sa.Column('policy_reason', sa.Text(), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('must', 'nice')", name=op.f('ck_qualifications_kind_valid')),
    sa.CheckConstraint("status IN ('proposed', 'approved', 'rejected', 'superseded')", name=op.f('ck_qualifications_status_valid')),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_qualifications_weight_positive')),
    sa.ForeignKeyConstraint(['approved_by'], ['recruiters.id'], name=op.f('fk_qualifications_approved_by_recruiters'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_qualifications_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_qualifications_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qualifications')),
    sa.UniqueConstraint('project_id', 'version', 'position', name=op.f('uq_qualifications_project_id_version_position'))
    )
    with op.batch_alter_table('qualifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qualifications_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qualifications_project_id'), ['project_id'], unique=False)

    op.create_table('recruiter_actions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recruiter_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('profile_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_recruiter_actions_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_recruiter_actions_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_recruiter_actions_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recruiter_id'], ['recruiters.id'], name=op.f('fk_recruiter_actions_recruiter_id_recruiters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recruiter_actions'))
    )
    with op.batch_alter_table('recruiter_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruiter_actions_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recruiter_actions_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recruiter_actions_recruiter_id'), ['recruiter_id'], unique=False)

    op.create_table('evaluations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('pipeline_entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('profile_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('qualification_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('model_id', sa.String(length=200), nullable=False),
    sa.Column('latency_ms', sa.Double(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("verdict IN ('meets', 'partly', 'does_not', 'no_evidence')", name=op.f('ck_evaluations_verdict_valid')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_evaluations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pipeline_entry_id'], ['pipeline_entries.id'], name=op.f('fk_evaluations_pipeline_entry_id_pipeline_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_evaluations_profile_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_evaluations_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['qualification_id'], ['qualifications.id'], name=op.f('fk_evaluations_qualification_id_qualifications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations')),
    sa.UniqueConstraint('pipeline_entry_id', 'qualification_id', name=op.f('uq_evaluations_pipeline_entry_id_qualification_id'))
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluations_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_project_id'), ['project_id'], unique=False)

    op.create_table('evidence_spans',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('evaluation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('end_offset > start_offset AND start_offset >= 0', name=op.f('ck_evidence_spans_span_valid')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_evidence_spans_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_evidence_spans_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_spans'))
    )
    with op.batch_alter_table('evidence_spans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_spans_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_spans_organisation_id'), ['organisation_id'], unique=False)



    _audit_log_append_only()


def _audit_log_append_only() -> None:
    """Reject UPDATE and DELETE on audit_log in the database itself, not only in the ORM."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    with op.batch_alter_table('evidence_spans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_spans_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_spans_evaluation_id'))

    op.drop_table('evidence_spans')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluations_project_id'))
        batch_op.drop_index(batch_op.f('ix_evaluations_profile_id'))
        batch_op.drop_index(batch_op.f('ix_evaluations_organisation_id'))

    op.drop_table('evaluations')
    with op.batch_alter_table('recruiter_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruiter_actions_recruiter_id'))
        batch_op.drop_index(batch_op.f('ix_recruiter_actions_project_id'))
        batch_op.drop_index(batch_op.f('ix_recruiter_actions_organisation_id'))

    op.drop_table('recruiter_actions')
    with op.batch_alter_table('qualifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qualifications_project_id'))
        batch_op.drop_index(batch_op.f('ix_qualifications_organisation_id'))

    op.drop_table('qualifications')
    with op.batch_alter_table('pipeline_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pipeline_entries_project_id'))
        batch_op.drop_index(batch_op.f('ix_pipeline_entries_profile_id'))
        batch_op.drop_index(batch_op.f('ix_pipeline_entries_organisation_id'))

    op.drop_table('pipeline_entries')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_project_id'))
        batch_op.drop_index(batch_op.f('ix_messages_profile_id'))
        batch_op.drop_index(batch_op.f('ix_messages_organisation_id'))

    op.drop_table('messages')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_project_id'))
        batch_op.drop_index(batch_op.f('ix_approvals_organisation_id'))

    op.drop_table('approvals')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_recruiter_id'))
        batch_op.drop_index(batch_op.f('ix_projects_organisation_id'))

    op.drop_table('projects')
    with op.batch_alter_table('profile_skills', schema=None) as batch_op:
        batch_op.drop_index('ix_profile_skills_skill')

    op.drop_table('profile_skills')
    with op.batch_alter_table('profile_experiences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_experiences_profile_id'))

    op.drop_table('profile_experiences')
    with op.batch_alter_table('profile_educations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_educations_profile_id'))

    op.drop_table('profile_educations')
    with op.batch_alter_table('mailbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_mailbox_ready')
        batch_op.drop_index(batch_op.f('ix_mailbox_messages_recruiter_id'))
        batch_op.drop_index(batch_op.f('ix_mailbox_messages_organisation_id'))

    op.drop_table('mailbox_messages')
    with op.batch_alter_table('recruiters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruiters_organisation_id'))

    op.drop_table('recruiters')
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profiles_updated_at'))
        batch_op.drop_index(batch_op.f('ix_profiles_organisation_id'))
        batch_op.drop_index('ix_profiles_occupation_metro')
        batch_op.drop_index(batch_op.f('ix_profiles_country'))

    op.drop_table('profiles')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_created_at'))

    op.drop_table('audit_log')
    op.drop_table('skills')
    op.drop_table('organisations')
