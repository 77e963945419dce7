"""Fake Microsoft endpoints (login, Graph, Exchange admin API) for reflexe's tests.

Python standard library only.  Entry point: tests/fake/msfake.py.
"""
