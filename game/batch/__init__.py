"""Many seeded AI-against-AI games at once, on this machine or a Dask cluster, their results in
one Parquet file and an HTML report (``python main.py batch``; README.md, "Batches").

``plan`` says what to run, ``players`` which AI plays, ``rows`` plays one run into one row (in
a worker), ``backends`` gives the workers, ``store`` keeps the rows on disk, ``runner`` drives
a batch with its progress bar, ``report`` (with ``stats`` and ``charts``) writes the report and
``command`` is the CLI's ``batch``.
"""
