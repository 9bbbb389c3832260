#!/usr/bin/env python
from mend.cli import main

if __name__ == "__main__":
    main()
