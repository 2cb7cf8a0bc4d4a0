"""A regular (non-editable) install carries the scenarios and maps and plays as the checkout
does; pyproject.toml lists every package."""

import site
import subprocess
import tomllib
import venv
from pathlib import Path

import pytest

from game.sim import simulate
from game.sim.session import new_game


def test_every_package_of_the_checkout_is_listed(repo_root):
    config = tomllib.loads((repo_root / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(repo_root).parts) for p in (repo_root / "game").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    mapped = config["package-dir"]
    for name in listed - found:
        top = next(pkg for pkg in mapped if name == pkg or name.startswith(pkg + "."))
        folder = repo_root / mapped[top] / name[len(top) + 1:].replace(".", "/")
        assert folder.is_dir(), f"{name}: {folder} is not a folder"


@pytest.mark.slow
def test_a_regular_install_plays_like_the_checkout(repo_root, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # The dependencies come from the environment running the tests: when that is itself a venv,
    # its site-packages are not the system's, so the new venv is pointed at them (after its own,
    # so the copy installed below is the one imported).
    inner = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                           capture_output=True, text=True, timeout=60).stdout.strip()
    (Path(inner) / "_outer_site.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(repo_root)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "import game, game.engine.paths as p; print(game.__file__, p.DATA_ROOT)"
    where = subprocess.run([str(python), "-c", code], cwd=elsewhere, capture_output=True, text=True, timeout=60)
    assert str(env_dir) in where.stdout and "data" in where.stdout, where.stdout + where.stderr
    validate = subprocess.run([str(env_dir / "bin" / "korea-war"), "validate", "korea_1950_1953"], cwd=elsewhere,
                              capture_output=True, text=True, timeout=120)
    assert validate.stdout.strip() == "OK korea_1950_1953", validate.stdout + validate.stderr
    run = subprocess.run([str(env_dir / "bin" / "korea-war"), "simulate", "pusan_perimeter", "--seed", "1",
                          "--quiet"], cwd=elsewhere, capture_output=True, text=True, timeout=300,
                         env={"KOREA_WAR_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    game = new_game("pusan_perimeter", seed=1)
    simulate.run(game)
    assert run.stdout.strip().endswith(f"final hash {game.state.hash()}")
