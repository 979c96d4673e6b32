"""How good the answers are: gold sets, SQuAD-format sets, metrics, the runner, a tutorial baseline, reports."""
