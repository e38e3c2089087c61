"""Allow `python -m migrate_scan`."""

from migrate_scan.cli import main

if __name__ == "__main__":
    main()
