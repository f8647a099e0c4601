"""What the shipped input tables hold: file names, columns, required fields and their bounds.

See ``README.md`` next to this module for the meaning and source of every field.
"""

from __future__ import annotations

LOCATIONS_FILE = "locations.csv"
PROVINCES_FILE = "provinces.csv"
SECTORS_FILE = "sectors.csv"
FIELDS_FILE = "fields.csv"
SECTOR_FIELDS_FILE = "sector_fields.csv"
DEFLATOR_FILE = "deflator.csv"
ROAD_NODES_FILE = "road_nodes.csv"
ROAD_EDGES_FILE = "road_edges.csv"
EXPRESSWAY_FILE = "expressway.csv"
ADJACENCY_FILE = "adjacency.csv"
INITIAL_STOCK_FILE = "initial_stock.csv"
REQUIRED_FILES: tuple[str, ...] = (
    LOCATIONS_FILE,
    PROVINCES_FILE,
    SECTORS_FILE,
    FIELDS_FILE,
    SECTOR_FIELDS_FILE,
    DEFLATOR_FILE,
    ROAD_NODES_FILE,
    ROAD_EDGES_FILE,
    EXPRESSWAY_FILE,
    ADJACENCY_FILE,
    INITIAL_STOCK_FILE,
)

LOCATION_COLUMNS: tuple[str, ...] = (
    "code",
    "name_en",
    "name_vi",
    "role",
    "lat",
    "lon",
    "new_code",
    "new_name_en",
    "new_name_vi",
    "members",
)
#: origin: HCMC; partner: the nine programme partners; province: a non-partner province;
#: composite: a region of several provinces (a size term keeps its odds independent of how it
#: is drawn).
LOCATION_ROLES: tuple[str, ...] = ("origin", "partner", "province", "composite")
PROVINCE_FACT_COLUMNS: tuple[str, ...] = (
    "location",
    "field",
    "value",
    "unit",
    "year",
    "source",
    "estimated",
    "note",
)
SECTOR_FACT_COLUMNS: tuple[str, ...] = (
    "sector",
    "field",
    "value",
    "unit",
    "source",
    "estimated",
    "note",
)
FIELD_COLUMNS: tuple[str, ...] = ("code", "name_en", "name_vi")
SECTOR_FIELD_COLUMNS: tuple[str, ...] = ("sector", "field")

#: Post-2025 unit codes that are not place codes but a documented renaming of one place: the
#: ``new_code`` each allows and the only place that may carry it. Thừa Thiên Huế became the
#: centrally-run city of Huế on 1 January 2025 and was not merged, so it stays its own unit.
RENAMED_UNITS: dict[str, str] = {"hue": "thua_thien_hue"}

#: Numeric province indicators every location must have (one row each).
PROVINCE_FIELDS: tuple[str, ...] = (
    "population",
    "area_km2",
    "grdp_bn",
    "grdp_growth_pct",
    "budget_revenue_bn",
    "road_km",
    "ip_land_vacant_ha",
    "tourist_arrivals_m",
    "wage_bn_per_year",
    "dx_index",
    "admin_capacity",
    "human_capital",
    "land_rent_bn_per_ha_year",
    "retention_rate",
    "incentive_zone",
    "labour_force",
)

#: Numeric sector parameters every sector must have (one row each).
SECTOR_FIELDS: tuple[str, ...] = (
    "opportunity_share",
    "size_factor",
    "size_max_bn",
    "jobs_per_bn",
    "land_ha_per_bn",
    "needs_ip_land",
    "construction_quarters",
    "turnover_per_bn",
    "va_share",
    "depreciation_rate",
    "export_share",
    "vat_rate",
    "soft_info",
    "local_multiplier",
    "hcmc_job_share",
    "modern_tech_eligible",
    "encouraged",
    "cit_rate_standard",
    "pot_grdp",
    "pot_population",
    "pot_tourism",
    "pot_ip_land",
    "pot_area",
)

#: Province fields whose ``year`` the model reads as the date of the value: it must be one
#: four-digit calendar year in :data:`DATED_YEAR_RANGE` (a range such as ``2020-2022`` is not a
#: date).
DATED_FIELDS: frozenset[str] = frozenset({"dx_index"})
DATED_YEAR_RANGE: tuple[int, int] = (2000, 2030)

#: Cooperation-field codes the model reads by name (``fields.csv`` must hold them):
#: ``science_technology`` ties raise the probability that a project is a modern-technology one.
REQUIRED_FIELD_CODES: tuple[str, ...] = ("science_technology",)

#: Fields (and the ``estimated`` flag column) whose values must lie in [0, 1].
UNIT_INTERVAL_FIELDS: frozenset[str] = frozenset(
    {
        "dx_index",
        "admin_capacity",
        "human_capital",
        "retention_rate",
        "export_share",
        "va_share",
        "opportunity_share",
        "hcmc_job_share",
        "depreciation_rate",
        "vat_rate",
        "cit_rate_standard",
        "estimated",
    }
)

#: Fields (and the ``estimated`` flag column) whose values must be exactly 0 or 1.
BINARY_FIELDS: frozenset[str] = frozenset(
    {"needs_ip_land", "modern_tech_eligible", "encouraged", "estimated"}
)

#: Allowed values of the ``incentive_zone`` province field.
INCENTIVE_ZONES: frozenset[int] = frozenset({0, 1, 2})

#: Tolerance for the sum of ``opportunity_share`` over sectors.
SHARE_SUM_TOLERANCE = 1e-6

#: Prefix that the ``source`` of every estimated row must carry.
ESTIMATE_PREFIX = "ESTIMATE:"

HEADER_ROW = 1
FIRST_DATA_ROW = 2

DEFLATOR_COLUMNS: tuple[str, ...] = ("year", "deflator_2023_base", "source", "estimated", "note")
ROAD_NODE_COLUMNS: tuple[str, ...] = ("node", "name_vi", "lat", "lon", "kind", "location")
ROAD_NODE_KINDS: tuple[str, ...] = ("capital", "junction")
ROAD_EDGE_COLUMNS: tuple[str, ...] = ("a", "b", "km", "road", "source", "estimated", "note")
EXPRESSWAY_COLUMNS: tuple[str, ...] = ("segment", "name_vi", "a", "b", "km_saved", "opening",
                                       "source", "estimated", "note")
ADJACENCY_COLUMNS: tuple[str, ...] = ("a", "b", "kind", "source", "note")
ADJACENCY_KINDS: tuple[str, ...] = ("border", "regional")
INITIAL_STOCK_COLUMNS: tuple[str, ...] = ("location", "sector", "projects", "registered_bn",
                                          "source", "estimated", "note")
