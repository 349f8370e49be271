from django.contrib import admin

from chinhquyenso.signing.models import IssuedResult, PlatformKey, SigningCredential, TrustAnchor


@admin.register(TrustAnchor)
class TrustAnchorAdmin(admin.ModelAdmin[TrustAnchor]):
    list_display = ["name", "not_after", "active", "source"]
    readonly_fields = ["fingerprint", "certificate_pem", "not_after", "added_at"]


@admin.register(PlatformKey)
class PlatformKeyAdmin(admin.ModelAdmin[PlatformKey]):
    list_display = ["role", "name", "not_after", "active"]
    readonly_fields = ["role", "name", "certificate_pem", "fingerprint", "not_after", "created_at"]
    exclude = ["pkcs12"]


@admin.register(SigningCredential)
class SigningCredentialAdmin(admin.ModelAdmin[SigningCredential]):
    list_display = ["user", "kind", "subject_name", "issuer_name", "not_after", "active"]
    list_filter = ["kind", "active"]
    readonly_fields = ["user", "kind", "subject_name", "issuer_name", "certificate_pem", "chain_pem", "fingerprint",
                       "serial", "not_before", "not_after", "pkcs11_module", "pkcs11_token", "pkcs11_key"]  # fmt: skip
    exclude = ["pkcs12"]


@admin.register(IssuedResult)
class IssuedResultAdmin(admin.ModelAdmin[IssuedResult]):
    list_display = ["number", "type_name", "agency", "issued_at", "status"]
    list_filter = ["status", "agency"]
    search_fields = ["number", "verification_code"]
    readonly_fields = [f.name for f in IssuedResult._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
