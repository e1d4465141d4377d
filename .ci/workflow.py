"""Print this repository's own CI workflow (.github/workflows/briefings.yml): the one
`citebrief init` writes, installing with .ci/setup and also run when the tool changes.
Regenerate: .venv/bin/python .ci/workflow.py > .github/workflows/briefings.yml"""

from citebrief.scaffold import workflow_text

REPOSITORY_WORKFLOW = workflow_text(
    ".",
    "bash .ci/setup",
    ".venv/bin/citebrief",
    ".",
    extra_paths=("citebrief/**", "pyproject.toml", ".ci/**"),
)

if __name__ == "__main__":
    print(REPOSITORY_WORKFLOW, end="")
