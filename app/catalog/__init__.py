"""The service catalog (事项目录): every service item of seed 004 as validated data, and the finder over it."""
from app.catalog.loader import CATALOG_VERSION, Catalog, CatalogProblem, load_catalog
from app.catalog.model import (Channel, Condition, FieldSpec, FieldType, Group, LimitKind, MaterialSpec,
                               OfflinePolicy, ServiceItem, StageKind)

__all__ = ["CATALOG_VERSION", "Catalog", "CatalogProblem", "load_catalog", "Channel", "Condition", "FieldSpec",
           "FieldType", "Group", "LimitKind", "MaterialSpec", "OfflinePolicy", "ServiceItem", "StageKind"]
