"""Shared by the scripts that write notebooks: cell constructors and writing
a notebook committed without outputs."""
import nbformat as nbf

md = nbf.v4.new_markdown_cell


def code(src: str, *tags: str):
    """A code cell, with tags such as ``remove-cell`` or ``remove-input``."""
    c = nbf.v4.new_code_cell(src)
    if tags:
        c.metadata["tags"] = list(tags)
    return c


def write(cells, path: str) -> None:
    # Stable cell ids (nbformat draws random ones): regenerating an unchanged
    # notebook leaves the file unchanged.
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:02d}"
    nb = nbf.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nbf.write(nb, path)
