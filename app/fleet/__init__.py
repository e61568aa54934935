"""Running a fleet of terminals: provisioning from one file or URL (`provision`), signed updates (`updates`, and
`publish` for the release office), the help-desk support bundle (`support`) and the `yichuang` subcommands (`cli`)."""
