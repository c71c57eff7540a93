"""The project's own benchmark harness (bench/harness.py): zone and query generators, a small
DNS client, server configs, process control and dnsperf runs. Python 3 standard library only."""
