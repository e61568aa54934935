"""Cases (业务件): validation of a form against its catalog item, and the 受理 command."""
