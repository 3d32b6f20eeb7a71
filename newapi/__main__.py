"""Run the CLI with ``python -m newapi``."""

from newapi.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
