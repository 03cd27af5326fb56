"""Data in the shape of analysis.publish.lookup.profiles(), written by hand: one county."""


def tiny_profiles(name: str, reason: str, label: str = "A list", title: str = "A list") -> dict:
    county = {"years": [2015], "outcomes": [{"id": "poverty_pct", "label": "Poverty", "unit": "%"}]}
    county["reference"] = {"nation": {"poverty_pct": [12.0]}, "states": {}}
    return {
        "definitions": [{"id": "x", "label": label, "kind": "sanctuary", "title": title}],
        "units": {"county": county, "city": {**county, "outcomes": []}},
        "cap": {"definition": label, "year": 2015, "covariates": title},
        "places": [
            {
                "unit": "county",
                "code": "01001",
                "name": name,
                "state": "AL",
                "status": [["sanctuary", reason]],
                "values": {"poverty_pct": [10.0]},
                "matched_to": None,
                "match_for": [],
            }
        ],
    }
