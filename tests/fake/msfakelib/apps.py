"""Applications for a generated tenant (--gen-sps, --gen-grants): Microsoft's
first-party service principals (owner tenant f8cdef31…, the APIs with their
app roles), the tenant's own registrations with their service principals,
secrets and certificates, owners, third-party applications, delegated grants
(oAuth2PermissionGrant), application permissions (appRoleAssignedTo of the
APIs), ApplicationManagement audits and service principal sign-ins (beta).
Shapes: Graph v1.0 application, servicePrincipal, oAuth2PermissionGrant,
appRoleAssignment; beta signIn. Deterministic for a seed."""
import random

from .util import det_uuid, fmt_dt

MS_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
GRAPH = "00000003-0000-0000-c000-000000000000"
EXO = "00000002-0000-0ff1-ce00-000000000000"
SPO = "00000003-0000-0ff1-ce00-000000000000"
# Graph application permissions (appRole id, value): Microsoft's ids.
GRAPH_ROLES = [("df021288-bdef-4463-88db-98f22de89214", "User.Read.All"),
               ("810c84a8-4a9e-49e6-bf7d-12d183f40d01", "Mail.Read"),
               ("b633e1c5-b582-4048-a93e-9f11b44c7e96", "Mail.Send"),
               ("75359482-378d-4052-8f01-80520e7db3cd", "Files.ReadWrite.All"),
               ("19dbc75e-c2e2-444c-a770-ec69d8559fc7", "Directory.ReadWrite.All"),
               ("7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All"),
               ("5b567255-7703-4780-807c-7be8301ae99b", "Group.Read.All")]
EXO_ROLES = [("dc890d15-9560-4a4c-9b7f-a736ec74ec40", "full_access_as_app")]
SCOPES = ["openid profile email offline_access User.Read", "User.Read Calendars.Read", "Files.Read User.Read",
          "Mail.Read offline_access", "User.Read Sites.Read.All", "openid profile User.Read"]


def _roles(pairs):
    return [{"allowedMemberTypes": ["Application"], "description": v, "displayName": v, "id": i,
             "isEnabled": True, "origin": "Application", "value": v} for i, v in pairs]


def _sp(sid, app_id, name, owner, verified=None, creds=(), keys=(), roles=(), created=None, reply=()):
    return {"id": sid, "deletedDateTime": None, "accountEnabled": True, "alternativeNames": [],
            "appDisplayName": name, "appDescription": None, "appId": app_id, "applicationTemplateId": None,
            "appOwnerOrganizationId": owner, "appRoleAssignmentRequired": False, "createdDateTime": created,
            "description": None, "disabledByMicrosoftStatus": None, "displayName": name, "homepage": None,
            "loginUrl": None, "logoutUrl": None, "notes": None, "notificationEmailAddresses": [],
            "preferredSingleSignOnMode": None, "preferredTokenSigningKeyThumbprint": None,
            "replyUrls": list(reply), "servicePrincipalNames": [app_id], "servicePrincipalType": "Application",
            "signInAudience": "AzureADMultipleOrgs", "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
            "tokenEncryptionKeyId": None, "publisherName": verified or "Contoso",
            "verifiedPublisher": {"displayName": verified, "verifiedPublisherId": "4049417" if verified else None,
                                  "addedDateTime": "2021-03-01T10:00:00Z" if verified else None},
            "addIns": [], "appRoles": list(roles), "info": {"logoUrl": None, "marketingUrl": None,
                                                           "privacyStatementUrl": None, "supportUrl": None,
                                                           "termsOfServiceUrl": None},
            "keyCredentials": list(keys), "oauth2PermissionScopes": [], "passwordCredentials": list(creds),
            "resourceSpecificApplicationPermissions": [], "samlSingleSignOnSettings": None}


def _secret(seed, k, t0, rnd):
    start = t0 - rnd.uniform(30, 700) * 86400
    return {"customKeyIdentifier": None, "displayName": "secret %d" % k, "endDateTime": fmt_dt(start + 730 * 86400),
            "hint": "Ab~", "keyId": det_uuid(seed, "key", k), "secretText": None, "startDateTime": fmt_dt(start)}


def add_apps(raw, n_sps, n_grants, seed="reflexe", n_signins=10000, ref_time=None):
    rnd = random.Random("apps:" + str(seed))
    t0 = ref_time
    tid = raw["tenant"]["id"]
    users = [u["id"] for u in raw["colls"].get("users", []) if u.get("userType") != "Guest"] or [None]
    sps, apps, owners_app, assigned = [], [], {}, {}
    graph = _sp(det_uuid(seed, "sp", "graph"), GRAPH, "Microsoft Graph", MS_TENANT, roles=_roles(GRAPH_ROLES))
    exo = _sp(det_uuid(seed, "sp", "exo"), EXO, "Office 365 Exchange Online", MS_TENANT, roles=_roles(EXO_ROLES))
    spo = _sp(det_uuid(seed, "sp", "spo"), SPO, "Office 365 SharePoint Online", MS_TENANT)
    sps += [graph, exo, spo]
    n_ms, n_home = n_sps * 14 // 100, n_sps * 26 // 100
    for i in range(n_ms):
        sps.append(_sp(det_uuid(seed, "sp", "ms%d" % i), det_uuid(seed, "msapp", i), "Microsoft Service %d" % i,
                       MS_TENANT))
    home = []
    for i in range(n_home):
        app_id = det_uuid(seed, "appid", i)
        created = fmt_dt(t0 - rnd.uniform(60, 1500) * 86400)
        creds = [_secret(seed, i, t0, rnd)] if i % 3 else []
        a = {"id": det_uuid(seed, "app", i), "deletedDateTime": None, "appId": app_id, "displayName": "Contoso App %d" % i,
             "createdDateTime": created, "signInAudience": "AzureADMyOrg", "publisherDomain": raw["tenant"]["domains"][0],
             "verifiedPublisher": {"displayName": None, "verifiedPublisherId": None, "addedDateTime": None},
             "identifierUris": [], "tags": [], "passwordCredentials": creds, "keyCredentials": [],
             "requiredResourceAccess": [], "web": {"redirectUris": ["https://app%d.contoso.com/signin-oidc" % i],
                                                   "homePageUrl": None, "logoutUrl": None},
             "spa": {"redirectUris": []}, "publicClient": {"redirectUris": []},
             "_owners": [users[i % len(users)]] if users[0] else []}
        apps.append(a)
        s = _sp(det_uuid(seed, "sp", "home%d" % i), app_id, a["displayName"], tid, created=created,
                reply=a["web"]["redirectUris"])
        s["signInAudience"] = "AzureADMyOrg"
        s["_owners"] = a["_owners"]
        sps.append(s)
        home.append(s)
    third = []
    for i in range(n_sps - len(sps)):
        s = _sp(det_uuid(seed, "sp", "third%d" % i), det_uuid(seed, "thirdapp", i), "Vendor App %d" % i,
                det_uuid(seed, "vendor", i % 200), verified=("Vendor %d" % (i % 200)) if i % 5 else None,
                created=fmt_dt(t0 - rnd.uniform(40, 1200) * 86400))
        sps.append(s)
        third.append(s)
    # Application permissions: a third of the tenant's own apps read users,
    # a few read mail.
    ga = []
    for i, s in enumerate(home):
        if i % 3 == 0:
            rid, v = GRAPH_ROLES[0] if i % 30 else GRAPH_ROLES[1]
            ga.append({"id": det_uuid(seed, "ara", i), "deletedDateTime": None, "appRoleId": rid,
                       "createdDateTime": fmt_dt(t0 - rnd.uniform(40, 900) * 86400),
                       "principalDisplayName": s["displayName"], "principalId": s["id"],
                       "principalType": "ServicePrincipal", "resourceDisplayName": "Microsoft Graph",
                       "resourceId": graph["id"]})
    assigned[graph["id"]] = ga
    # Delegated grants: one tenant-wide per own app, the rest per user to
    # third-party applications.
    grants = []
    clients = third or home
    for i in range(n_grants):
        if i < len(home):
            c, principal, kind = home[i], None, "AllPrincipals"
        else:
            c, principal, kind = clients[i % len(clients)], users[(i * 7919) % len(users)], "Principal"
        grants.append({"id": "%s-%d" % (det_uuid(seed, "grant", i), i), "clientId": c["id"], "consentType": kind,
                       "principalId": principal, "resourceId": graph["id"], "scope": " " + SCOPES[i % len(SCOPES)]})
    # Service principal sign-ins over 30 days: the own apps with a secret.
    signins = []
    with_key = [(s, a) for s, a in zip(home, apps) if a["passwordCredentials"]]
    for k in range(n_signins if with_key else 0):
        s, a = with_key[k % len(with_key)]
        signins.append({
            "id": det_uuid(seed, "spsignin", k), "createdDateTime": fmt_dt(t0 - rnd.uniform(0, 30) * 86400),
            "appId": s["appId"], "appDisplayName": s["displayName"], "servicePrincipalId": s["id"],
            "servicePrincipalName": s["displayName"], "userId": None, "userPrincipalName": None,
            "servicePrincipalCredentialKeyId": a["passwordCredentials"][0]["keyId"],
            "servicePrincipalCredentialThumbprint": "", "clientCredentialType": "clientSecret",
            "ipAddress": "20.%d.%d.%d" % (k % 7, k % 13, 1 + k % 3), "autonomousSystemNumber": 8075,
            "location": {"city": "Paris", "state": None, "countryOrRegion": "FR"},
            "status": {"errorCode": 0, "failureReason": None, "additionalDetails": None},
            "signInEventTypes": ["servicePrincipal"], "resourceDisplayName": "Microsoft Graph",
            "resourceId": GRAPH, "isInteractive": False, "conditionalAccessStatus": "notApplied"})
    audits = []
    for k in range(min(200, len(home))):
        s = home[k]
        audits.append({
            "id": "Directory_" + det_uuid(seed, "appaudit", k), "category": "ApplicationManagement",
            "correlationId": det_uuid(seed, "appacorr", k), "result": "success", "resultReason": "",
            "activityDisplayName": "Update service principal",
            "activityDateTime": fmt_dt(t0 - rnd.uniform(0, 30) * 86400), "loggedByService": "Core Directory",
            "operationType": "Update", "initiatedBy": {"app": {"appId": None, "displayName": "Azure AD Application Proxy",
                                                               "servicePrincipalId": None, "servicePrincipalName": None},
                                                       "user": None},
            "targetResources": [{"id": s["id"], "displayName": s["displayName"], "type": "ServicePrincipal",
                                 "userPrincipalName": None, "groupType": None, "modifiedProperties": []}],
            "additionalDetails": []})
    raw["colls"]["servicePrincipals"] = sps
    raw["colls"]["applications"] = apps
    raw["colls"]["oauth2PermissionGrants"] = grants
    raw["nested"].setdefault("servicePrincipals/{id}/appRoleAssignedTo", {}).update(assigned)
    raw["colls"]["auditLogs/signIns"] = sorted(raw["colls"].get("auditLogs/signIns", []) + signins,
                                               key=lambda x: x["createdDateTime"], reverse=True)
    raw["colls"]["auditLogs/directoryAudits"] = sorted(raw["colls"].get("auditLogs/directoryAudits", []) + audits,
                                                       key=lambda x: x["activityDateTime"], reverse=True)
    return raw
