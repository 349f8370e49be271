"""``GET /api/v1/procedures/1.001193``: one procedure by its code, the indexed lookup to compare the search with.

Same catalog as ``catalog-search`` (its seeder runs once per database), so running both in one command measures
the search against a plain lookup on identical data: ``python -m bench catalog-search catalog-detail``.
"""

from __future__ import annotations

from bench import Benchmark
from bench.catalog_search import seed

# What one request runs (bench/prepare.py, PostgreSQL): the procedure and its current version by the unique code,
# then prefetches of its cases, their fees and documents, and the competent and receiving agencies. Case, fee and
# document ids are those of 1.001193 in a fresh database with the deterministic seed.
SQL = """\
-- Django's connection health check (CONN_HEALTH_CHECKS) before the request's first query
SELECT 1;
SELECT "catalog_procedure"."id", "catalog_procedure"."code", "catalog_procedure"."is_local_code",
       "catalog_procedure"."status", "catalog_procedure"."current_version_id", "catalog_procedure"."created_at",
       "catalog_procedureversion"."id", "catalog_procedureversion"."procedure_id", "catalog_procedureversion"."number",
       "catalog_procedureversion"."status", "catalog_procedureversion"."name", "catalog_procedureversion"."field_id",
       "catalog_procedureversion"."level", "catalog_procedureversion"."competent_authority",
       "catalog_procedureversion"."for_citizens", "catalog_procedureversion"."for_businesses",
       "catalog_procedureversion"."legal_basis", "catalog_procedureversion"."result_type",
       "catalog_procedureversion"."online_level", "catalog_procedureversion"."description",
       "catalog_procedureversion"."source", "catalog_procedureversion"."search_text",
       "catalog_procedureversion"."created_at", "catalog_procedureversion"."published_at",
       "catalog_field"."id", "catalog_field"."code", "catalog_field"."name"
  FROM "catalog_procedure"
 INNER JOIN "catalog_procedureversion" ON ("catalog_procedure"."current_version_id" = "catalog_procedureversion"."id")
  LEFT OUTER JOIN "catalog_field" ON ("catalog_procedureversion"."field_id" = "catalog_field"."id")
 WHERE ("catalog_procedure"."code" = '1.001193' AND "catalog_procedure"."current_version_id" IS NOT NULL)
 ORDER BY "catalog_procedure"."code" ASC
 LIMIT 1;
SELECT "catalog_procedurecase"."id", "catalog_procedurecase"."version_id", "catalog_procedurecase"."code",
       "catalog_procedurecase"."name", "catalog_procedurecase"."order", "catalog_procedurecase"."processing_value",
       "catalog_procedurecase"."processing_unit", "catalog_procedurecase"."online_processing_value",
       "catalog_procedurecase"."cutoff", "catalog_procedurecase"."form_schema", "catalog_procedurecase"."form_ui"
  FROM "catalog_procedurecase"
 INNER JOIN "catalog_procedureversion" ON ("catalog_procedurecase"."version_id" = "catalog_procedureversion"."id")
 INNER JOIN "catalog_procedure" ON ("catalog_procedureversion"."procedure_id" = "catalog_procedure"."id")
 WHERE "catalog_procedurecase"."version_id" IN (1)
 ORDER BY "catalog_procedure"."code" ASC, "catalog_procedureversion"."number" DESC,
          "catalog_procedurecase"."order" ASC, "catalog_procedurecase"."code" ASC;
SELECT "catalog_fee"."id", "catalog_fee"."case_id", "catalog_fee"."kind", "catalog_fee"."name", "catalog_fee"."amount",
       "catalog_fee"."unit", "catalog_fee"."variable", "catalog_fee"."note"
  FROM "catalog_fee"
 INNER JOIN "catalog_procedurecase" ON ("catalog_fee"."case_id" = "catalog_procedurecase"."id")
 INNER JOIN "catalog_procedureversion" ON ("catalog_procedurecase"."version_id" = "catalog_procedureversion"."id")
 INNER JOIN "catalog_procedure" ON ("catalog_procedureversion"."procedure_id" = "catalog_procedure"."id")
 WHERE "catalog_fee"."case_id" IN (1, 2)
 ORDER BY "catalog_procedure"."code" ASC, "catalog_procedureversion"."number" DESC,
          "catalog_procedurecase"."order" ASC, "catalog_procedurecase"."code" ASC, "catalog_fee"."id" ASC;
SELECT "catalog_documentcomponent"."id", "catalog_documentcomponent"."case_id", "catalog_documentcomponent"."code",
       "catalog_documentcomponent"."name", "catalog_documentcomponent"."form", "catalog_documentcomponent"."quantity",
       "catalog_documentcomponent"."required", "catalog_documentcomponent"."template",
       "catalog_documentcomponent"."reusable_type_id", "catalog_documentcomponent"."order"
  FROM "catalog_documentcomponent"
 INNER JOIN "catalog_procedurecase" ON ("catalog_documentcomponent"."case_id" = "catalog_procedurecase"."id")
 INNER JOIN "catalog_procedureversion" ON ("catalog_procedurecase"."version_id" = "catalog_procedureversion"."id")
 INNER JOIN "catalog_procedure" ON ("catalog_procedureversion"."procedure_id" = "catalog_procedure"."id")
 WHERE "catalog_documentcomponent"."case_id" IN (1, 2)
 ORDER BY "catalog_procedure"."code" ASC, "catalog_procedureversion"."number" DESC,
          "catalog_procedurecase"."order" ASC, "catalog_procedurecase"."code" ASC,
          "catalog_documentcomponent"."order" ASC, "catalog_documentcomponent"."id" ASC;
SELECT ("catalog_procedureversion_competent_agencies"."procedureversion_id") AS "_prefetch_related_val_procedureversion_id",
       "agencies_agency"."id", "agencies_agency"."code", "agencies_agency"."name", "agencies_agency"."short_name",
       "agencies_agency"."kind", "agencies_agency"."level", "agencies_agency"."parent_id", "agencies_agency"."ward_code",
       "agencies_agency"."address", "agencies_agency"."phone", "agencies_agency"."email", "agencies_agency"."is_one_stop",
       "agencies_agency"."active", "agencies_agency"."morning_opens", "agencies_agency"."morning_closes",
       "agencies_agency"."afternoon_opens", "agencies_agency"."afternoon_closes", "agencies_agency"."desk_open_saturday"
  FROM "agencies_agency"
 INNER JOIN "catalog_procedureversion_competent_agencies"
    ON ("agencies_agency"."id" = "catalog_procedureversion_competent_agencies"."agency_id")
 WHERE "catalog_procedureversion_competent_agencies"."procedureversion_id" IN (1)
 ORDER BY "agencies_agency"."level" ASC, "agencies_agency"."kind" ASC, "agencies_agency"."name" ASC;
SELECT ("catalog_procedureversion_receiving_agencies"."procedureversion_id") AS "_prefetch_related_val_procedureversion_id",
       "agencies_agency"."id", "agencies_agency"."code", "agencies_agency"."name", "agencies_agency"."short_name",
       "agencies_agency"."kind", "agencies_agency"."level", "agencies_agency"."parent_id", "agencies_agency"."ward_code",
       "agencies_agency"."address", "agencies_agency"."phone", "agencies_agency"."email", "agencies_agency"."is_one_stop",
       "agencies_agency"."active", "agencies_agency"."morning_opens", "agencies_agency"."morning_closes",
       "agencies_agency"."afternoon_opens", "agencies_agency"."afternoon_closes", "agencies_agency"."desk_open_saturday"
  FROM "agencies_agency"
 INNER JOIN "catalog_procedureversion_receiving_agencies"
    ON ("agencies_agency"."id" = "catalog_procedureversion_receiving_agencies"."agency_id")
 WHERE "catalog_procedureversion_receiving_agencies"."procedureversion_id" IN (1)
 ORDER BY "agencies_agency"."level" ASC, "agencies_agency"."kind" ASC, "agencies_agency"."name" ASC;
"""

BENCHMARK = Benchmark(
    name="catalog-detail",
    path="/api/v1/procedures/1.001193",
    sql=SQL,
    seed=seed,
    description="one procedure by its code (unique index) with its cases, fees, documents and agencies, on the "
    "same 5,000-procedure catalog as catalog-search: the plain indexed lookup to compare the search with; 6 "
    "queries plus the health check, pgbench runs the same statements.",
)
