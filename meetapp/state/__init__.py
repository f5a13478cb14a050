"""Reflex states: parse input, call one service, expose display-ready data."""
