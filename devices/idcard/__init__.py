"""Resident ID card (二代身份证) readers: the SAM serial protocol (`sam`, `serial_backend`), the Windows vendor-DLL
seam (`vendor_dll`), text parsing and validation (`record`), the pluggable WLT photo decoder (`wlt`)."""
