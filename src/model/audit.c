/*
 * Directory audit activity names -> what they mean for check-admins.
 *
 * Source: Microsoft Entra audit log activity reference
 * (learn.microsoft.com/entra/identity/monitoring-health/
 * reference-audit-activities), services Core Directory, PIM, Conditional
 * Access, Authentication Methods, Invited users, Device Registration.
 * Names are matched case-insensitively by prefix: the reference itself
 * differs in case from the logs ("Add Conditional Access policy" vs "Add
 * conditional access policy"), some names carry a trailing space or an en
 * dash ("Update application – Certificates and secrets management "), and
 * PIM suffixes them with "(permanent)", "(timebound)".
 *
 * Role grants (AUD_ROLE_ADD), the exact names of the reference:
 *   Add member to role                              (Core Directory)
 *   Add eligible member to role                     (Core Directory)
 *   Add scoped member to role                       (Core Directory)
 *   Add member to role scoped over Restricted Management Administrative Unit
 *   Add role assignment to role definition
 *   Add EligibleRoleAssignment to RoleDefinition
 *   Add member to role in PIM completed (permanent|timebound)
 *   Add eligible member to role in PIM completed (permanent|timebound)
 *   Add member to role outside of PIM (permanent)
 * but not what PIM logs around a grant without making one: "... requested
 * (...)", "... canceled (...)", "... request denied ...", "... approval
 * requested ...", nor activations of an existing eligibility ("Add member
 * to role completed (PIM activation)").
 */
#include <string.h>
#include <strings.h>

#include "model/model.h"

static int starts(const char *s, const char *p)
{
	return !strncasecmp(s, p, strlen(p));
}

static int has(const char *s, const char *sub)
{
	size_t n = strlen(sub);
	for (; *s; s++)
		if (!strncasecmp(s, sub, n))
			return 1;
	return 0;
}

static const struct { const char *prefix; enum mdl_audit_kind k; } table[] = {
	{ "Add member to role", AUD_ROLE_ADD },
	{ "Add eligible member to role", AUD_ROLE_ADD },
	{ "Add scoped member to role", AUD_ROLE_ADD },
	{ "Add role assignment to role definition", AUD_ROLE_ADD },
	{ "Add EligibleRoleAssignment to RoleDefinition", AUD_ROLE_ADD },
	/* Authentication Methods and Core Directory: security info. */
	{ "User registered security info", AUD_SECINFO },
	{ "User registered all required security info", AUD_SECINFO },
	{ "User changed default security info", AUD_SECINFO },
	{ "User deleted security info", AUD_SECINFO },
	{ "User updated security info", AUD_SECINFO },
	{ "Admin registered security info", AUD_SECINFO },
	{ "Admin updated security info", AUD_SECINFO },
	{ "Admin deleted security info", AUD_SECINFO },
	{ "Add users strong authentication phone app detail", AUD_SECINFO },
	{ "Remove users strong authentication phone app detail", AUD_SECINFO },
	{ "Enable Strong Authentication", AUD_SECINFO },
	{ "Disable Strong Authentication", AUD_SECINFO },
	{ "Add FIDO2 security key", AUD_SECINFO },
	{ "Delete FIDO2 security key", AUD_SECINFO },
	{ "Add passwordless phone sign-in credential", AUD_SECINFO },
	{ "Delete passwordless phone sign-in credential", AUD_SECINFO },
	{ "Add Windows Hello for Business credential", AUD_SECINFO },
	{ "Delete Windows Hello for Business credential", AUD_SECINFO },
	/* Passwords set by someone else. */
	{ "Reset password", AUD_PASSWORD },
	{ "Reset user password", AUD_PASSWORD },
	{ "Change user password", AUD_PASSWORD },
	{ "Set force change user password", AUD_PASSWORD },
	/* Core Directory, DirectoryManagement. */
	{ "Set domain authentication", AUD_FEDERATION },
	{ "Set federation settings on domain", AUD_FEDERATION },
	{ "Set domain federation settings", AUD_FEDERATION },
	{ "Add verified domain", AUD_DOMAIN },
	{ "Add unverified domain", AUD_DOMAIN },
	{ "Verify domain", AUD_DOMAIN },
	/* Conditional Access, Policy. */
	{ "Add Conditional Access policy", AUD_CA_ADD },
	{ "Update Conditional Access policy", AUD_CA_UPDATE },
	{ "Delete Conditional Access policy", AUD_CA_DELETE },
	{ "Update security defaults", AUD_SECDEFAULTS },
	/* Invited users. */
	{ "Invite external user", AUD_INVITE },
	{ "Add user", AUD_USER_ADD },
};

enum mdl_audit_kind mdl_audit_kind(const char *a)
{
	if (!a)
		return AUD_OTHER;
	while (*a == ' ')
		a++;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		if (!starts(a, table[i].prefix))
			continue;
		if (table[i].k == AUD_ROLE_ADD &&
		    (has(a, "requested") || has(a, "canceled") || has(a, "denied") ||
		     has(a, "(PIM activation)")))
			return AUD_OTHER;
		/* "Add user" is the whole name (trailing blanks aside): not
		 * "Add user to feature rollout". */
		if (table[i].k == AUD_USER_ADD) {
			const char *r = a + strlen(table[i].prefix);
			while (*r == ' ')
				r++;
			if (*r)
				return AUD_OTHER;
		}
		return table[i].k;
	}
	return AUD_OTHER;
}
