"""Front ends that translate between a channel or a file and the domain: the Telegram bot
(`bot.telegram`, the only package that imports python-telegram-bot), the terminal chat
(`terminal.py`), the `selfreview` command (`cli.py`, settings in `config.py`) and the files
people take away (`bot.exports`)."""
