"""The `qa` command: `qa.cli.main` parses the arguments, one module per subcommand does the work."""
