"""What a sweep can be asked for on the command line: where its runs execute, the table
format of its store, how many runs it may have.

Said once here, apart from the modules that act on them (executors, the store, the
experiment reader), so that parsing the command line — ``govsim --help``, ``govsim run`` —
does not import the sweep engine and its process pools.
"""

EXECUTORS = ("sequential", "process", "dask")
FORMATS = ("parquet", "csv")  # table formats of a store
MAX_RUNS = 100_000  # runs of one experiment without --allow-large
MAX_RUNS_LARGE = 1_000_000  # with it (the plan of a run takes memory: ~1 kB)
