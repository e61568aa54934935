"""社会保障卡 (social security card) over PC/SC: the SSSE application's card (EF05) and person (EF06) files, PIN,
and the third-generation online security step. `record` holds the typed result, `session` the APDU logic shared by
the real (pyscard) and simulated back-ends in `device`."""
