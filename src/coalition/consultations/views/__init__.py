"""Pages of the consultations app: consultations and comments, answering surveys, results,
reports. Views call services for writes and selectors/results for reads."""
