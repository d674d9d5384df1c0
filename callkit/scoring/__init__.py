"""Scoring rules: call objectives, customer value, plan rubric, debrief. Word lists live in callkit/data."""
