"""``python -m vnsign``: the same command as ``vnsign``."""

from vnsign.cli import main

if __name__ == "__main__":
    main(prog_name="vnsign")
