"""How a case moves: states, actions, roles and separation of duties (000 §6, §8, §20; 001 ch11; 002 §40)."""
