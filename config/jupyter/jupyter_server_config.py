"""JupyterLab configuration for ``make lab`` (copied to build/jupyter/).

The user's own Jupyter configuration is untouched. Notebooks are saved without
outputs: the executed copies and the HTML live in build/notebooks/ and reports/,
made by ``make report``, so the committed notebooks stay clean however often
they are run and saved in Lab.
"""

from analysis.report.notebooks import strip_saved_notebook

c = get_config()  # noqa: F821 (provided by Jupyter when it reads this file)
c.FileContentsManager.pre_save_hook = strip_saved_notebook
c.ServerApp.open_browser = True
