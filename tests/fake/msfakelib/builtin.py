"""Constants modelled on Microsoft's: built-in directory roles, SKUs, service plans,
default policies.  Ids are Microsoft's well-known template/sku ids."""

# (templateId, displayName, isPrivileged, description)
ROLES = [
    ("62e90394-69f5-4237-9190-012177145e10", "Global Administrator", True,
     "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities."),
    ("e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator", True,
     "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management."),
    ("7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator", True,
     "Can access to view, set and reset authentication method information for any user (admin or non-admin)."),
    ("194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator", True,
     "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365."),
    ("5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader", True,
     "Can read security information and reports in Microsoft Entra ID and Office 365."),
    ("f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader", True,
     "Can read everything that a Global Administrator can, but not update anything."),
    ("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", True,
     "Can manage all aspects of users and groups, including resetting passwords for limited admins."),
    ("729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", True,
     "Can reset passwords for non-administrators and Helpdesk Administrators."),
    ("c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator", True,
     "Can access to view, set and reset authentication method information for any non-admin user."),
    ("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator", True,
     "Can create and manage all aspects of app registrations and enterprise apps."),
    ("158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator", True,
     "Can create and manage all aspects of app registrations and enterprise apps except App Proxy."),
    ("b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator", True,
     "Can manage Conditional Access capabilities."),
    ("8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator", True,
     "Can manage Active Directory to Microsoft Entra cloud provisioning, Microsoft Entra Connect, and federation settings."),
    ("3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator", True,
     "Can manage all aspects of the Intune product."),
    ("966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator", True,
     "Can reset passwords for non-administrators and Password Administrators."),
    ("8329153b-31d0-4727-b945-745eb3bc5f31", "Domain Name Administrator", True,
     "Can manage domain names in cloud and on-premises."),
    ("be2f45a1-457d-42af-a067-6ec1fa63bc45", "External Identity Provider Administrator", True,
     "Can configure identity providers for use in direct federation."),
    ("29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", False,
     "Can manage all aspects of the Exchange product."),
    ("f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator", False,
     "Can manage all aspects of the SharePoint service."),
    ("b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator", False,
     "Can perform common billing related tasks like updating payment information."),
    ("88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Directory Readers", False,
     "Can read basic directory information. Commonly used to grant directory read access to applications and guests."),
    ("4a5d8f65-41da-4de4-8968-e035b65339cf", "Reports Reader", False,
     "Can read sign-in and audit reports."),
]
GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"


def role_definitions():
    out = []
    for tid, name, priv, desc in ROLES:
        out.append({
            "id": tid, "description": desc, "displayName": name, "isBuiltIn": True,
            "isEnabled": True, "isPrivileged": priv, "resourceScopes": ["/"], "templateId": tid,
            "version": "1", "inheritsPermissionsFrom": [],
            "rolePermissions": [{"allowedResourceActions": ["microsoft.directory/allEntities/allProperties/allTasks"]
                                 if tid == GLOBAL_ADMIN else [], "condition": None}],
        })
    return out


# Service plans (servicePlanId, servicePlanName)
PLAN_AAD_P1 = ("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AAD_PREMIUM")
PLAN_AAD_P2 = ("eec0eb4f-6444-4f95-aba0-50c24d67f998", "AAD_PREMIUM_P2")
PLAN_EXO_P2 = ("efb87545-963c-4e0d-99df-69c6916d9eb0", "EXCHANGE_S_ENTERPRISE")
PLAN_EXO_P1 = ("9aaf7827-d63c-4b61-89c3-182f06f82e5c", "EXCHANGE_S_STANDARD")

# skuPartNumber -> (skuId, [plans])
SKUS = {
    "SPE_E5": ("06ebc4ee-1bb5-47dd-8120-11324bc54e06", [PLAN_AAD_P1, PLAN_AAD_P2, PLAN_EXO_P2]),
    "SPE_E3": ("05e9a617-0261-4cee-bb44-138d3ef5d965", [PLAN_AAD_P1, PLAN_EXO_P2]),
    "AAD_PREMIUM": ("078d2b04-f1bd-4111-bbd4-b4b1b354cef4", [PLAN_AAD_P1]),
    "AAD_PREMIUM_P2": ("84a661c4-e949-4bd2-a560-ed7766fcaf2b", [PLAN_AAD_P1, PLAN_AAD_P2]),
    "ENTERPRISEPACK": ("6fd2c87f-b296-42f0-b197-1e91e994b900", [PLAN_EXO_P2]),
    "STANDARDPACK": ("18181a46-0d4e-45cd-891e-60aabd171b4e", [PLAN_EXO_P1]),
}


def subscribed_sku(tenant_id, part, units=25, consumed=10):
    sku_id, plans = SKUS[part]
    return {
        "accountName": "contoso", "accountId": tenant_id, "appliesTo": "User",
        "capabilityStatus": "Enabled", "consumedUnits": consumed,
        "id": "%s_%s" % (tenant_id, sku_id),
        "prepaidUnits": {"enabled": units, "suspended": 0, "warning": 0, "lockedOut": 0},
        "servicePlans": [{"servicePlanId": pid, "servicePlanName": name, "provisioningStatus": "Success",
                          "appliesTo": "User"} for pid, name in plans],
        "skuId": sku_id, "skuPartNumber": part, "subscriptionIds": [],
    }


GUEST_ROLE_SAME_AS_MEMBER = "a0b1b346-4d3e-4e8b-98f8-753987be4970"
GUEST_ROLE_LIMITED = "10dae51f-b6af-4016-8d66-8c2a99b929b3"
GUEST_ROLE_RESTRICTED = "2af84b1e-32c8-42b7-82bc-daa82404023b"

# Microsoft's defaults for a new tenant.
AUTHORIZATION_POLICY = {
    "id": "authorizationPolicy",
    "allowInvitesFrom": "everyone",
    "allowedToSignUpEmailBasedSubscriptions": True,
    "allowedToUseSSPR": True,
    "allowEmailVerifiedUsersToJoinOrganization": False,
    "allowUserConsentForRiskyApps": None,
    "blockMsolPowerShell": False,
    "description": "Used to manage authorization related settings across the company.",
    "displayName": "Authorization Policy",
    "guestUserRoleId": GUEST_ROLE_LIMITED,
    "defaultUserRolePermissions": {
        "allowedToCreateApps": True, "allowedToCreateSecurityGroups": True,
        "allowedToCreateTenants": True, "allowedToReadBitlockerKeysForOwnedDevice": True,
        "allowedToReadOtherUsers": True,
        "permissionGrantPoliciesAssigned": ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
    },
}

SECURITY_DEFAULTS = {
    "id": "00000000-0000-0000-0000-000000000005",
    "description": "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. "
                   "When enabled, these recommendations will be automatically enforced in your organization.",
    "displayName": "Security Defaults",
    "isEnabled": True,
}

# Default v1.0 projection of a user when the client gives no $select.
USER_DEFAULT_V1 = ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
                   "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"]

USER_SCHEMA = set("""id accountEnabled ageGroup assignedLicenses assignedPlans authorizationInfo businessPhones city
companyName consentProvidedForMinor country createdDateTime creationType customSecurityAttributes deletedDateTime
department displayName employeeHireDate employeeLeaveDateTime employeeId employeeOrgData employeeType
externalUserState externalUserStateChangeDateTime faxNumber givenName identities imAddresses isManagementRestricted
isResourceAccount jobTitle lastPasswordChangeDateTime legalAgeGroupClassification licenseAssignmentStates mail
mailNickname mobilePhone officeLocation onPremisesDistinguishedName onPremisesDomainName
onPremisesExtensionAttributes onPremisesImmutableId onPremisesLastSyncDateTime onPremisesProvisioningErrors
onPremisesSamAccountName onPremisesSecurityIdentifier onPremisesSyncEnabled onPremisesUserPrincipalName otherMails
passwordPolicies passwordProfile postalCode preferredDataLocation preferredLanguage provisionedPlans proxyAddresses
securityIdentifier serviceProvisioningErrors showInAddressList signInActivity signInSessionsValidFromDateTime state
streetAddress surname usageLocation userPrincipalName userType aboutMe birthday hireDate interests mySite
pastProjects preferredName responsibilities schools skills mailboxSettings""".split())

# Properties returned only when asked for with $select.
SELECT_ONLY = {"users": {"signInActivity"}}

# Properties that exist only in the beta endpoint (stripped from v1.0 answers).
BETA_ONLY = {"roleManagement/directory/roleDefinitions": {"isPrivileged"},
             # service principal sign-ins are a beta feature of the sign-in log
             "auditLogs/signIns": {"signInEventTypes", "servicePrincipalCredentialKeyId",
                                   "servicePrincipalCredentialThumbprint", "clientCredentialType"}}

# Navigations of directory objects served from the tenant file's nested
# lists, empty when the file has none (applications/{id}/federatedIdentity
# Credentials, servicePrincipals/{id}/appRoleAssignedTo and appRoleAssignments).
NESTED_EMPTY = ("applications/{id}/federatedIdentityCredentials", "servicePrincipals/{id}/appRoleAssignedTo",
                "servicePrincipals/{id}/appRoleAssignments")

# Default ordering of log-like collections.
DEFAULT_ORDER = {
    "auditLogs/signIns": [(["createdDateTime"], True)],
    "auditLogs/directoryAudits": [(["activityDateTime"], True)],
    "identityProtection/riskDetections": [(["detectedDateTime"], True)],
}

# Default and maximum page sizes ($top) per collection.
PAGE_DEFAULT = {"users": 100, "groups": 100, "auditLogs/signIns": 1000, "auditLogs/directoryAudits": 1000}
# (servicePrincipals, applications, oauth2PermissionGrants: 100 by default,
# at most 999, as Graph's directory objects.)
PAGE_MAX = {"users": 999, "groups": 999, "auditLogs/signIns": 1000, "auditLogs/directoryAudits": 1000}

ODATA_TYPES = {
    "users": "#microsoft.graph.user", "groups": "#microsoft.graph.group",
    "servicePrincipals": "#microsoft.graph.servicePrincipal", "applications": "#microsoft.graph.application",
    "devices": "#microsoft.graph.device", "directoryRoles": "#microsoft.graph.directoryRole",
    "contacts": "#microsoft.graph.orgContact",
}


# Graph v1.0 properties of applications and service principals (the
# resource pages): $select takes any of them, even one no object of the
# tenant file carries; anything else is a 400, as Graph answers.
SCHEMA = {
    "servicePrincipals": {
        "id", "deletedDateTime", "accountEnabled", "addIns", "alternativeNames", "appDescription", "appDisplayName",
        "appId", "applicationTemplateId", "appOwnerOrganizationId", "appRoleAssignmentRequired", "appRoles",
        "customSecurityAttributes", "description", "disabledByMicrosoftStatus", "displayName", "homepage", "info",
        "keyCredentials", "loginUrl", "logoutUrl", "notes", "notificationEmailAddresses", "oauth2PermissionScopes",
        "passwordCredentials", "preferredSingleSignOnMode", "preferredTokenSigningKeyThumbprint", "replyUrls",
        "resourceSpecificApplicationPermissions", "samlSingleSignOnSettings", "servicePrincipalNames",
        "servicePrincipalType", "signInAudience", "tags", "tokenEncryptionKeyId", "verifiedPublisher"},
    "applications": {
        "id", "deletedDateTime", "addIns", "api", "appId", "applicationTemplateId", "appRoles", "certification",
        "createdDateTime", "defaultRedirectUri", "description", "disabledByMicrosoftStatus", "displayName",
        "groupMembershipClaims", "identifierUris", "info", "isDeviceOnlyAuthSupported", "isFallbackPublicClient",
        "keyCredentials", "logo", "nativeAuthenticationApisEnabled", "notes", "oauth2RequirePostResponse",
        "optionalClaims", "parentalControlSettings", "passwordCredentials", "publicClient", "publisherDomain",
        "requestSignatureVerification", "requiredResourceAccess", "samlMetadataUrl", "serviceManagementReference",
        "servicePrincipalLockConfiguration", "signInAudience", "spa", "tags", "tokenEncryptionKeyId",
        "uniqueName", "verifiedPublisher", "web"},
    # signIn (beta carries them all; BETA_ONLY takes some out of v1.0):
    # a tenant file whose sign-ins are all users' still takes a $select of
    # the service principal ones, as Graph does.
    "auditLogs/signIns": {
        "id", "createdDateTime", "userDisplayName", "userPrincipalName", "userId", "userType", "appId",
        "appDisplayName", "ipAddress", "clientAppUsed", "correlationId", "conditionalAccessStatus", "isInteractive",
        "riskDetail", "riskLevelAggregated", "riskLevelDuringSignIn", "riskState", "riskEventTypes",
        "riskEventTypes_v2", "resourceDisplayName", "resourceId", "status", "deviceDetail", "location",
        "appliedConditionalAccessPolicies", "authenticationDetails", "authenticationRequirement", "userAgent",
        "servicePrincipalId", "servicePrincipalName", "servicePrincipalCredentialKeyId",
        "servicePrincipalCredentialThumbprint", "clientCredentialType", "signInEventTypes", "tokenIssuerType",
        "crossTenantAccessType", "homeTenantId", "resourceTenantId", "authenticationProtocol",
        "originalRequestId", "mfaDetail", "networkLocationDetails", "managedIdentityType"},
}
