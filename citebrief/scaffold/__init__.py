"""Files citebrief writes into projects: the CI workflow, and (for `init`) a whole project."""

from __future__ import annotations

from importlib import resources

from .. import __version__

APT_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core pandoc"


def workflow_text(
    project: str,
    install: str,
    command: str,
    name_suffix: str = "",
    extra_paths: tuple[str, ...] = (),
    package: str = f"citebrief=={__version__}",
) -> str:
    """The GitHub Actions workflow for a project at ``project`` (relative to the git root)."""
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
