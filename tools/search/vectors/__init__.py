"""The embedded vector index: in-process, on disk, memory-mapped, with facet columns as numpy masks.

Layout of the index folder::

    manifest.json          segments, their tombstone files, the IVF model; replaced atomically
    seg-000001/            one segment: immutable once written
        vectors.npy        float32 (n, 384), L2-normalised (so a dot product is the cosine)
        ids.npy            int64 profile ids
        country.npy ...    the facet columns, aligned with the vectors
        lists.npy          (IVF segments only) int64 offsets: list j is rows lists[j]:lists[j+1]
    alive-000007.npy       bool per row of a segment; absent: every row alive
    ivf-000005.npy         float32 (nlist, 384) centroids

``upsert`` appends a segment and marks replaced ids dead in older segments (tombstones); ``delete`` only
marks. Size-tiered merges keep the segment count bounded (each row is rewritten O(log n) times); a full
compaction drops dead rows. Once an IVF is trained every segment is written sorted by IVF list (new rows are
assigned to the existing centroids), so a probed list is a contiguous slice of each memory map. The IVF is
retrained when the index has doubled since training.

Search: brute force (chunked matrix-vector products over the memory map) when ``exact`` is asked, the index
is small (< ``ann_min_rows``) or no IVF is trained; otherwise the query's nearest ``nprobe`` lists. ``nprobe``
is calibrated by :meth:`VectorIndex.build_ann` so recall@10 against brute force is at least ``RECALL_TARGET``
(measured by leave-one-out over stored vectors, where the recall of a probe count is exact arithmetic on list
ranks). A facet mask is evaluated only on the probed rows; its selectivity, estimated on a fixed sample of
rows, widens the probe (calibrated too), and probing goes on until ``k`` masked hits are found or every list is
probed. A selective mask (few rows) is evaluated everywhere and searched exactly over its rows. Results only
ever contain alive rows that pass the mask and ``allowed_ids``.

One writer per folder at a time; readers see the manifest they opened.

Modules: :mod:`~tools.search.vectors.index` (the index), :mod:`~tools.search.vectors.segments` (a segment),
:mod:`~tools.search.vectors.facets` (facet columns and masks) and :mod:`~tools.search.vectors.ann` (the IVF).
"""

from tools.search.vectors.ann import QUERY_PROBE_FACTOR, RECALL_TARGET
from tools.search.vectors.facets import FacetColumns, FacetFilter, MaskFn, day_number, facet_columns_of, facet_filter
from tools.search.vectors.index import FORMAT, VectorIndex
from tools.search.vectors.segments import CHUNK_ROWS, DIM

__all__ = ["CHUNK_ROWS", "DIM", "FORMAT", "QUERY_PROBE_FACTOR", "RECALL_TARGET", "FacetColumns", "FacetFilter",
           "MaskFn", "VectorIndex", "day_number", "facet_columns_of", "facet_filter"]
