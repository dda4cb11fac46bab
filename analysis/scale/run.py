"""Run the pipeline over a whole corpus: one process, a pool of processes, or Dask.

Every backend runs :func:`analysis.scale.worker.summarise_chunk` on the same
chunks of jobs and the :class:`~analysis.scale.summary.Reducer` sorts its output,
so the tables are identical whatever the backend or the order in which chunks
finish. Counts are integers: no floating-point sum depends on that order.
Workers read the files themselves: a Dask cluster needs the corpus and the
lexicon at the same paths on every machine.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

import pandas as pd
from tqdm import tqdm  # the text bar: the notebook widget needs ipywidgets

from analysis.errors import ConfigError, TextWarning
from analysis.lexicon.matching import Matcher
from analysis.lexicon.schema import Lexicon, load_frame_lexicon
from analysis.paths import BUILD_DIR, METADATA_FILE
from analysis.scale.jobs import DocumentJob, count_selected, iter_jobs
from analysis.scale.summary import CorpusSummary, Reducer
from analysis.scale.worker import ChunkResult, Options, Worker, summarise_chunk


def process_corpus(
    selection: Iterable[str] | pd.DataFrame | None = None,
    *,
    metadata: str | Path | None = None,
    lexicon: str | Path | Lexicon | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    group_by: str = "outlet",
    term_form: str | None = "bare",
    verify: bool = True,
    chunksize: int = 200,
    output_dir: str | Path | None = None,
    progress: bool | None = None,
) -> CorpusSummary:
    """Analyse the selected documents and reduce them to a :class:`CorpusSummary`.

    ``selection``: None (every document of the metadata table), ``doc_id`` values,
    or a table with ``doc_id``. ``metadata``: the table (default
    ``corpus/metadata.csv``; files are relative to its folder). ``lexicon``: a
    frame lexicon folder or a loaded :class:`Lexicon` (default ``lexicons/``).
    Backends, all giving identical tables: ``workers=1`` in this process,
    ``workers=N`` a pool of N processes, ``scheduler="local"`` a Dask
    ``LocalCluster`` (2 single-threaded workers, loopback only),
    ``scheduler="tcp://host:8786"`` an existing Dask scheduler.

    ``group_by``: the metadata column within which entry hits and word forms are
    summed (``"doc_id"`` keeps them per document). ``term_form``: the word-type
    column counted for keyness (None to skip). ``verify`` checks each file's
    sha256. ``output_dir`` receives the Parquet tables (default: a folder under
    ``build/scale/``). ``progress``: a tqdm bar (None: only on a terminal).
    """
    metadata_path = Path(METADATA_FILE if metadata is None else metadata)
    if workers < 1 or chunksize < 1:
        raise ConfigError(f"workers and chunksize must be at least 1 ({workers}, {chunksize})")
    if not isinstance(lexicon, Lexicon):
        lexicon = load_frame_lexicon(lexicon)  # in this process: a malformed lexicon fails here
    options = Options(matcher=Matcher(lexicon), term_form=term_form, verify=verify)
    chunks = _chunks(iter_jobs(selection, metadata_path, group_by), chunksize)
    if scheduler is not None:
        backend, results = f"dask:{scheduler}", _run_dask(chunks, options, scheduler)
    elif workers > 1:
        backend, results = f"processes:{workers}", _run_pool(chunks, options, workers)
    else:
        backend, results = "serial", _run_serial(chunks, options)
    folder = Path(output_dir) if output_dir is not None else _default_folder(metadata_path)
    reducer = Reducer(folder, group_by)
    show = sys.stderr.isatty() if progress is None else progress
    total = count_selected(selection, metadata_path) if show else None
    with tqdm(total=total, disable=not show, unit="doc", desc="documents") as bar:
        for chunk in results:
            reducer.add(chunk)
            bar.update(len(chunk.documents))
    if reducer.warned:
        warnings.warn(
            f"{reducer.warned} of {reducer.n_documents} documents were repaired on loading "
            f"(see the n_text_warnings column), first: {reducer.first_warning[1]}",
            TextWarning,
            stacklevel=2,
        )
    return reducer.result(term_form, backend)


def default_workers() -> int:
    """Number of usable cores (the default for ``workers=`` in notebooks)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _default_folder(metadata: Path) -> Path:
    name = f"{metadata.resolve().parent.name}-{os.getpid()}"
    return BUILD_DIR / "scale" / name


def _chunks(jobs: Iterable[DocumentJob], size: int) -> Iterator[list[DocumentJob]]:
    chunk: list[DocumentJob] = []
    for job in jobs:
        chunk.append(job)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run_serial(chunks: Iterator[list[DocumentJob]], options: Options) -> Iterator[ChunkResult]:
    worker = Worker(options.matcher)
    for chunk in chunks:
        yield worker.summarise(chunk, options)


def _run_pool(
    chunks: Iterator[list[DocumentJob]], options: Options, workers: int
) -> Iterator[ChunkResult]:
    """At most ``2 × workers`` chunks in flight, so memory does not grow with the corpus."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: set[Future] = set()
        for chunk in chunks:
            pending.add(pool.submit(summarise_chunk, chunk, options))
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        for future in pending:
            yield future.result()


def _run_dask(
    chunks: Iterator[list[DocumentJob]], options: Options, scheduler: str, window: int = 8
) -> Iterator[ChunkResult]:
    """Chunks on Dask (a ``LocalCluster`` for ``"local"``), a few in flight per worker."""
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        )
        client = Client(cluster, set_as_default=False)
    else:
        client = Client(scheduler, set_as_default=False)
    try:
        running = as_completed(loop=client.loop)
        for chunk in chunks:
            running.add(client.submit(summarise_chunk, chunk, options, pure=False))
            if running.count() >= window:
                future = next(running)
                yield future.result()
                future.release()
        for future in running:
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
