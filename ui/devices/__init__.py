"""Qt side of the devices: device events as GUI-thread signals (`signals`), the live document-camera preview
(`preview`) and the administrators' device test page (`test_page`)."""
