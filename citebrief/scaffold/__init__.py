"""Files citebrief writes into projects: the CI workflow, and (for `init`) a whole project."""

from __future__ import annotations

from importlib import resources

APT_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core pandoc"


def workflow_text(
    project: str,
    install: str,
    command: str,
    package: str,
    name_suffix: str = "",
    extra_paths: tuple[str, ...] = (),
) -> str:
    """The GitHub Actions workflow for a project at ``project`` (relative to the git root).

    ``package`` is what pip installs citebrief from: "." (the repository holds the tool) or a
    git URL pinned to a commit. Never a bare name: citebrief is not on PyPI, and whoever
    registered the name there would run their code in the team's CI."""
    template = resources.files(__package__).joinpath("briefings.yml").read_text(encoding="utf-8")
    folder = "" if project in ("", ".") else project.rstrip("/") + "/"
    paths = ", ".join(
        f'"{p}"'
        for p in (
            f"{folder}citebrief.toml",
            f"{folder}sources/**",
            f"{folder}briefings/**",
            f"{folder}templates/**",
            f"{folder}schemas/**",
            f"{folder}editions/**",
            f".github/workflows/briefings{name_suffix}.yml",
            *extra_paths,
        )
    )
    values = {
        "name_suffix": name_suffix,
        "paths": paths,
        "install": install,
        "command": command,
        "project": project or ".",
        "package": package,
    }
    for key, value in values.items():
        template = template.replace("{{ " + key + " }}", value)
    return template
