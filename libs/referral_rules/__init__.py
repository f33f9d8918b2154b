"""The routing domain: channel directory, complaint facts, referral plans, clocks and partner payloads.

Plain Python on purpose: no nameko or eventlet import anywhere in this package (the service is a thin adapter).
"""
