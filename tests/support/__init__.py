"""Tools the tests share: a real SMTP server (`smtp_sink`), signed-in clients and API
answers (`clients`), and the crash tests' command line (`update_delivery`)."""
