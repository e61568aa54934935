"""Receipt printers (ESC/POS through python-escpos): slips with Chinese as GB18030 in the printer's Chinese mode or
rasterised, QR codes, cut; network (9100), serial, USB and file connections; paper-out and offline detection
through the DLE EOT real-time status before a print counts as done."""
