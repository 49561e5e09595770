"""Scheduling fixtures live in the root conftest.py (clinic_now, open_doctor)."""
