"""The service catalog (事项目录): every service item of the standard as validated data."""
from app.catalog.loader import Catalog, load_catalog
from app.catalog.model import FieldSpec, MaterialSpec, ServiceItem

__all__ = ["Catalog", "load_catalog", "FieldSpec", "MaterialSpec", "ServiceItem"]
