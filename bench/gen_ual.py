#!/usr/bin/env python3
"""Writes a synthetic Purview audit export (current header, CSV) of N rows
for the import bench and the streaming test: gen_ual.py N OUT.csv [SEED]

The mix is what a month of a 500-user tenant's unified audit log looks
like: mostly file and mail activity, sign-ins (a few failures), a little
Exchange administration. Nothing in it is an attack, except — when the
fourth argument "attack" is given — one inbox rule, one forwarding and a
password spray near the end, so that an analysis has something to find.
Deterministic for a seed; AuditData shapes follow the Office 365
Management Activity API schema. Names and addresses are invented."""
import json
import random
import sys

n = int(sys.argv[1])
out = sys.argv[2]
rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
attack = len(sys.argv) > 4 and sys.argv[4] == "attack"
ORG = "2f1a3c5e-0b7d-4e2a-9c1f-6d8e0a4b7c21"
users = ["user%03d@contoso.fr" % i for i in range(500)]
ips = ["192.0.2.%d" % i for i in range(1, 200)]
T0 = 1693526400  # 2023-09-01T00:00:00Z


def iso(t):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t))


def rec(i, t, u, op, wl, rt, extra):
    d = {"CreationTime": iso(t), "Id": "%08x-0000-4000-8000-%012d" % (i, i), "Operation": op,
         "OrganizationId": ORG, "RecordType": rt, "ResultStatus": "Succeeded", "UserKey": "1003200%09d" % (i % 500),
         "UserType": 0, "Version": 1, "Workload": wl, "ClientIP": rnd.choice(ips), "UserId": u}
    d.update(extra)
    return d


def row(i, t):
    u = rnd.choice(users)
    k = rnd.random()
    if k < 0.45:
        d = rec(i, t, u, rnd.choice(["FileAccessed", "FileModified", "FilePreviewed"]), "SharePoint", 6,
                {"ObjectId": "https://contoso.sharepoint.com/sites/equipe/Documents/rapport-%d.docx" % (i % 997),
                 "SiteUrl": "https://contoso.sharepoint.com/sites/equipe/", "SourceFileExtension": "docx",
                 "SourceFileName": "rapport-%d.docx" % (i % 997), "UserAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                 "ItemType": "File", "EventSource": "SharePoint"})
    elif k < 0.70:
        d = rec(i, t, u, "MailItemsAccessed", "Exchange", 50,
                {"MailboxOwnerUPN": u, "ClientInfoString": "Client=OWA;Action=ViaProxy", "LogonType": 0,
                 "OperationProperties": [{"Name": "MailAccessType", "Value": "Bind"}],
                 "Folders": [{"FolderItems": [{"InternetMessageId": "<%d@contoso.fr>" % i}], "Path": "\\Inbox"}]})
    elif k < 0.93:
        fail = rnd.random() < 0.03
        d = rec(i, t, u, "UserLoginFailed" if fail else "UserLoggedIn", "AzureActiveDirectory", 15,
                {"ObjectId": "00000002-0000-0ff1-ce00-000000000000", "AzureActiveDirectoryEventType": 1,
                 "ExtendedProperties": [{"Name": "UserAgent", "Value": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"},
                                        {"Name": "RequestType", "Value": "OAuth2:Authorize"}],
                 "ApplicationId": "00000002-0000-0ff1-ce00-000000000000"})
        d["ResultStatus"] = "Failed" if fail else "Success"
        if fail:
            d["ErrorNumber"] = "50126"
            d["LogonError"] = "InvalidUserNameOrPassword"
        d["ClientIP"] = ips[sum(map(ord, u)) % 10] if not fail else d["ClientIP"]
    elif k < 0.995:
        d = rec(i, t, u, rnd.choice(["Send", "MoveToDeletedItems", "Update"]), "Exchange", 2,
                {"MailboxOwnerUPN": u, "ClientInfoString": "Client=MSExchangeRPC"})
    else:
        d = rec(i, t, "admin@contoso.fr", "Set-Mailbox", "Exchange", 1,
                {"ObjectId": u, "Parameters": [{"Name": "Identity", "Value": u},
                                               {"Name": "ProhibitSendQuota", "Value": "49 GB"}],
                 "AppId": "fb78d390-0c51-40cd-8e17-fdbfab77341b"})
    return d


TYPES = {6: "SharePointFileOperation", 50: "ExchangeItemAggregated", 15: "AzureActiveDirectoryStsLogon",
         2: "ExchangeItem", 1: "ExchangeAdmin", 8: "AzureActiveDirectory"}


def q(s):
    return '"' + s.replace('"', '""') + '"'


with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("\ufeffRecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n")
    extra = []
    if attack:
        t = T0 + 29 * 86400
        extra.append(rec(n + 1, t, "user007@contoso.fr", "New-InboxRule", "Exchange", 1,
                         {"Parameters": [{"Name": "Name", "Value": "."}, {"Name": "MoveToFolder", "Value": "RSS Feeds"},
                                         {"Name": "SubjectOrBodyContainsWords", "Value": "invoice;virement"},
                                         {"Name": "MarkAsRead", "Value": "True"}]}))
        for j, u in enumerate(users[:40]):
            s = rec(n + 2 + j, t + 60 + j, u, "UserLoginFailed", "AzureActiveDirectory", 15,
                    {"ErrorNumber": "50126", "ApplicationId": "00000002-0000-0ff1-ce00-000000000000"})
            s["ClientIP"] = "198.51.100.23"
            extra.append(s)
    for i in range(n - len(extra)):
        t = T0 + i * (30 * 86400) // max(n, 1)
        d = row(i, t)
        f.write("%08x-0000-4000-8000-%012d,%sZ,%s,%s,%s,%s,,\r\n" % (
            i, i, d["CreationTime"], TYPES[d["RecordType"]], d["Operation"], d["UserId"],
            q(json.dumps(d, separators=(",", ":")))))
    for d in extra:
        f.write("%s,%sZ,%s,%s,%s,%s,,\r\n" % (d["Id"], d["CreationTime"], TYPES[d["RecordType"]], d["Operation"],
                                              d["UserId"], q(json.dumps(d, separators=(",", ":")))))
