"""User-facing texts of the bot, one YAML file per language (read by `bot.i18n`)."""
