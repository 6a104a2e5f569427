"""`python -m assistant …` is the `assistant` command."""

from assistant.interfaces.cli import main

main()
