"""The README stays honest: its two first commands, and every CLI command and option it names."""

from pathlib import Path

import typer.main

from verify.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text("utf-8")


def test_readme_opens_with_the_demo_and_the_test_command():
    commands = [ln for ln in README.splitlines()[:8] if ln.startswith("pip install")]
    assert commands[0].startswith("pip install -e . && carbon-verify demo --out out/")
    assert commands[1].startswith("pip install -e '.[test]' && pytest -q")


def test_every_cli_command_and_run_option_is_in_the_readme():
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"carbon-verify {name}" in README, name
        if name == "run":
            for param in command.params:
                for opt in param.opts:
                    if opt.startswith("--"):
                        assert opt in README, opt
