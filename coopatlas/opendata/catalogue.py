"""The DCAT-AP catalogue of the atlas (JSON-LD), for data.gouv.fr, CKAN or any DCAT harvester.

One ``dcat:Dataset`` per public collection (titles and descriptions in French and English from
:mod:`coopatlas.schema`), each with its distributions: the OGC API Features items (GeoJSON, through the
``dcat:DataService`` of the server), and the bulk downloads (FlatGeobuf, GeoParquet, CSV: size, SHA-256,
media type, licence); plus one dataset of the whole atlas (the styled GeoPackage). Every node is typed with
the classes DCAT-AP 2.1.1 expects, so that its SHACL shapes (mandatory properties and ranges) hold.
"""

from __future__ import annotations

from .. import schema as sch

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGES = "http://publications.europa.eu/resource/authority/language/"
#: download format -> EU file type authority code
FILE_TYPE = {"gpkg": "GPKG", "fgb": "BIN", "parquet": "PARQUET", "csv": "CSV"}
IANA = "https://www.iana.org/assignments/media-types/"
#: DCAT-AP 2.1 accepts SHA-1 checksums only (the SHA-256 of each file is in the downloads' index)
SHA1 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha1"


def _texts(fr: str, en: str) -> list[dict]:
    return [{"@value": fr, "@language": "fr"}, {"@value": en, "@language": "en"}]


def _ref(uri: str, kind: str | None = None) -> dict:
    return {"@id": uri, "@type": kind} if kind else {"@id": uri}


def _licences(sources: list[dict]) -> list[dict]:
    return [{"@id": s["href"], "@type": "dct:LicenseDocument", "dct:title": s["title"]} for s in sources]


def _distribution(url: str, entry: dict) -> dict:
    href = f"{url}/downloads/{entry['file']}"
    node = {
        "@id": href,
        "@type": "dcat:Distribution",
        "dct:title": f"{entry['file']} ({entry['format']})",
        "dcat:accessURL": _ref(f"{url}/downloads"),
        "dcat:downloadURL": _ref(href),
        "dcat:mediaType": _ref(IANA + entry["media_type"], "dct:MediaType"),
        "dct:format": _ref(FILE_TYPES + FILE_TYPE[entry["format"]], "dct:MediaTypeOrExtent"),
        "dcat:byteSize": {"@value": str(entry["size"]), "@type": "xsd:decimal"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": _ref(SHA1),
            "spdx:checksumValue": {"@value": entry["sha1"], "@type": "xsd:hexBinary"},
        },
    }
    if entry["licences"]:
        # DCAT-AP: one licence (the first source's) and one rights statement (every source's attribution)
        node["dct:license"] = _licences(entry["licences"])[0]
        node["dct:rights"] = {
            "@type": "dct:RightsStatement",
            "dct:title": " ; ".join(s["title"] for s in entry["licences"]),
        }
    return node


def catalogue(url: str, index: dict, title: dict, description: dict, publisher: str) -> dict:
    """The JSON-LD catalogue of the server at ``url`` (no trailing slash) whose downloads are ``index``."""
    service = {
        "@id": f"{url}/#ogcapi",
        "@type": "dcat:DataService",
        "dct:title": _texts("API OGC de l'atlas (OGC API Features, Processes)", "The atlas's OGC API"),
        "dcat:endpointURL": _ref(url + "/"),
        "dcat:endpointDescription": _ref(f"{url}/openapi?f=json"),
        "dct:conformsTo": _ref("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"),
        "dcat:servesDataset": [_ref(f"{url}/collections/{cid}") for cid in sch.COLLECTIONS],
    }
    by_collection: dict[str, list[dict]] = {}
    for entry in index["files"]:
        by_collection.setdefault(entry["collection"], []).append(entry)
    datasets = []
    for cid, coll in sch.COLLECTIONS.items():
        items = {
            "@id": f"{url}/collections/{cid}/items?f=json",
            "@type": "dcat:Distribution",
            "dct:title": _texts(
                f"{coll.title_fr} (OGC API Features, GeoJSON)", f"{coll.title_en} (OGC API Features, GeoJSON)"
            ),
            "dcat:accessURL": _ref(f"{url}/collections/{cid}"),
            "dcat:mediaType": _ref(IANA + "application/geo+json", "dct:MediaType"),
            "dcat:accessService": _ref(service["@id"], "dcat:DataService"),
        }
        datasets.append(
            {
                "@id": f"{url}/collections/{cid}",
                "@type": "dcat:Dataset",
                "dct:identifier": cid,
                "dct:title": _texts(coll.title_fr, coll.title_en),
                "dct:description": _texts(coll.description_fr, coll.description_en),
                "dcat:keyword": [{"@value": k, "@language": "fr"} for k in coll.keywords],
                "dct:language": [_ref(LANGUAGES + "FRA", "dct:LinguisticSystem")],
                "dcat:landingPage": _ref(f"{url}/collections/{cid}", "foaf:Document"),
                "dcat:distribution": [items] + [_distribution(url, e) for e in by_collection.get(cid, [])],
            }
        )
    whole = [e for e in index["files"] if e["collection"] is None]
    datasets.append(
        {
            "@id": f"{url}/downloads#atlas",
            "@type": "dcat:Dataset",
            "dct:identifier": "atlas",
            "dct:title": _texts("L'atlas entier (GeoPackage stylé)", "The whole atlas (styled GeoPackage)"),
            "dct:description": _texts(
                "Toutes les collections publiques en un GeoPackage, avec leurs styles QGIS.",
                "Every public collection in one GeoPackage, with their QGIS styles.",
            ),
            "dcat:distribution": [_distribution(url, e) for e in whole],
        }
    )
    return {
        "@context": CONTEXT,
        "@id": f"{url}/catalogue.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _texts(title["fr"], title["en"]),
        "dct:description": _texts(description["fr"], description["en"]),
        "dct:publisher": {"@id": f"{url}/#publisher", "@type": "foaf:Agent", "foaf:name": publisher},
        "foaf:homepage": _ref(url + "/", "foaf:Document"),
        "dct:language": [
            _ref(LANGUAGES + "FRA", "dct:LinguisticSystem"),
            _ref(LANGUAGES + "ENG", "dct:LinguisticSystem"),
        ],
        "dcat:service": [service],
        "dcat:dataset": datasets,
    }
