//! The shell language kubeplay speaks, both at the learner's prompt and inside simulated
//! containers (`sh -c '...'`).
