"""Helpers for cohorts that arrive in pieces: Arrow record batches cut anywhere, regrouped into whole patients.

`summarize_cohort` summarises each patient from all of the patient's rows, so a cohort read batch by batch (a
Parquet file's `iter_batches`, a Spark partition's Arrow stream) must not be cut inside a patient:
`whole_patients` regroups the batches so that every table it yields holds whole patients.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow  # type: ignore[import-untyped]

__all__ = ["whole_patients"]


def whole_patients(
    batches: Iterable[pyarrow.RecordBatch], id: str = "id", min_rows: int = 1
) -> Iterator[pyarrow.Table]:
    """Tables of whole patients from record batches whose rows of one patient are together (a table sorted or
    written by patient): the rows of each batch's last patient wait for the next batch, and batches are
    gathered until a table has at least `min_rows` rows (fewer, larger calls of `summarize_cohort`). Empty
    batches are skipped; the last table holds what is left.

    >>> import pyarrow as pa
    >>> batches = pa.table({"id": ["a", "a", "b", "b", "b", "c"], "gl": [1, 2, 3, 4, 5, 6]}).to_batches(2)
    >>> [t["id"].to_pylist() for t in whole_patients(batches)]
    [['a', 'a'], ['b', 'b', 'b'], ['c']]
    """
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    gathered: list[pyarrow.RecordBatch] = []
    rows = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        gathered.append(batch)
        rows += batch.num_rows
        if rows < min_rows:
            continue
        table = pa.Table.from_batches(gathered)
        ids = table[id]
        # The last patient starts after the last row of another id.
        others = pc.indices_nonzero(pc.not_equal(ids, ids[len(ids) - 1]))
        cut = others[-1].as_py() + 1 if len(others) else 0
        if cut > 0:
            yield table.slice(0, cut)
        gathered = table.slice(cut).to_batches()
        rows = table.num_rows - cut
    if rows:
        yield pa.Table.from_batches(gathered)
