"""Interviewers: users who run interviews, with their specialization."""
