"""Tools the tests share: a real SMTP server (`smtp_sink`), signed-in clients and API
answers (`clients`), the crash tests' command line (`update_delivery`), query counts of
list pages (`queries`) and people in each role (`roles`)."""
