"""docs/domain.md section 7: the golden cases, to the cent."""

import pytest

from verify.domain import calculation as calc
from verify.domain.factors import factor_table
from verify.domain.materiality import judge, threshold_pct
from verify.domain.thresholds import load_thresholds

G1_FUELS = [  # stream, AD, NCV, CC, expected tCO2
    ("anthracite", 2317.68, 25.024, 0.02749, 5845.97),
    ("bituminous_coal", 120188.43, 23.736, 0.02618, 273849.07),
    ("washed_coal", 300810.90, 26.344, 0.02541, 738331.47),
    ("coke", 66522.44, 28.435, 0.02942, 204049.48),
    ("coke_oven_gas", 920.50, 173.854, 0.0121, 7100.11),
]
G1_PROCESS = [  # stream, t, expected tCO2 (EF from the cn-steel-2025 table)
    ("fecr_high_c", 312, 108.58), ("femn_micro_c", 1256.54, 5.03), ("femn_high_c", 1301.32, 357.86),
    ("simn", 6181.94, 568.74), ("fesi", 1798.22, 12.59), ("femo", 20.54, 0.37),
    ("scrap", 55461.56, 2052.08), ("pig_iron", 9867.76, 1697.25), ("electrode", 371.22, 1359.78),
    ("dolomite", 53361.58, 25400.11), ("limestone", 1891.38, 832.21),
]
G1_PRODUCTS = [("crude_steel", 595279, 22025.32), ("crude_benzene", 1878.22, 6352.14),
               ("tar", 7089.94, 19135.75)]


@pytest.mark.parametrize("stream,ad,ncv,cc,expected", G1_FUELS)
def test_g1_fuel_rows(stream, ad, ncv, cc, expected):
    assert calc.fuel_emissions(ad, ncv, cc, 1.0) == expected


@pytest.mark.parametrize("stream,mass,expected", G1_PROCESS + G1_PRODUCTS)
def test_g1_material_rows_with_library_factors(stream, mass, expected):
    ef = factor_table("cn-steel-2025").value(stream, "ef")
    assert calc.material_emissions(mass, ef) == expected


def test_g1_month_total_and_intensity():
    fuels = [calc.fuel_emissions(ad, ncv, cc) for _, ad, ncv, cc, _ in G1_FUELS]
    table = factor_table("cn-steel-2025")
    process = [calc.material_emissions(m, table.value(s, "ef")) for s, m, _ in G1_PROCESS]
    products = [calc.material_emissions(m, table.value(s, "ef")) for s, m, _ in G1_PRODUCTS]
    assert calc.round_half_up(sum(fuels)) == 1229176.10
    assert calc.round_half_up(sum(process)) == 32394.60
    assert calc.round_half_up(sum(products)) == 47513.21
    total = calc.total_emissions(fuels, process, products)
    assert total == 1214057.49
    assert calc.intensity(total, 595279) == 2.0395


def test_g2_natural_gas_with_and_without_oxidation():
    table13, table25 = factor_table("cn-steel-2013"), factor_table("cn-steel-2025")
    ncv, cc = table25.value("natural_gas", "ncv"), table25.value("natural_gas", "carbon_content")
    assert calc.fuel_emissions(100, ncv, cc, table13.value("natural_gas", "oxidation")) == 2165.02
    assert calc.fuel_emissions(100, ncv, cc, table25.value("natural_gas", "oxidation")) == 2186.88


def test_g2_blast_furnace_gas_2013():
    t = factor_table("cn-steel-2013")
    ef = [t.value("blast_furnace_gas", p) for p in ("ncv", "carbon_content", "oxidation")]
    assert calc.fuel_emissions(10000, *ef) == 84811.32


def test_g2_limestone_and_eu_coke():
    assert calc.material_emissions(10000, factor_table("eu-mrr").value("limestone", "ef")) == 4400.00
    eu = factor_table("eu-mrr")
    assert calc.fuel_emissions_eu(1000, 28.2, eu.value("coke", "ef_tj")) == 3017.40
    cc = eu.default_carbon_content("coke").value
    assert calc.fuel_emissions(1000, eu.value("coke", "ncv"), cc) == 3017.40


def test_g2_basis_conversion():
    assert calc.round_half_up(calc.carbon_as_received(70.00, 8.0, 1.5), 2) == 65.38


def test_g3_materiality_category_c():
    t = load_thresholds()
    claimed = 14_500_000.0
    pct = threshold_pct(claimed, 12, t)
    assert pct == 2.0
    result = judge(claimed, 150_000 + 160_000, pct)
    assert result.material is True
    assert claimed * pct / 100 == 290_000


def test_materiality_small_installation_uses_5_pct():
    assert threshold_pct(400_000, 12, load_thresholds()) == 5.0
    assert threshold_pct(50_000, 1, load_thresholds()) == 2.0  # 600 kt a year annualised


def test_units_of_calorific_values():
    from verify.model import units
    assert units.ncv_to_standard(6000, "kcal/kg", "t") == pytest.approx(25.1208)
    assert units.ncv_to_standard(35.8, "MJ/Nm3", "10^4 Nm3") == pytest.approx(358.0)
    assert units.ncv_to_standard(35800, "kJ/m3", "10^4 Nm3") == pytest.approx(358.0)
    assert units.to_activity(12345, "Nm3", "10^4 Nm3") == pytest.approx(1.2345)
    assert units.to_activity(2500, "kg", "t") == pytest.approx(2.5)
    assert units.to_activity(3, "万立方米", "10^4 Nm3") == pytest.approx(3)


def test_every_stream_of_domain_has_factors_in_every_method():
    from verify.model.vocabulary import streams
    for method in ("cn-steel-2025", "cn-steel-2013", "eu-mrr"):
        table = factor_table(method)
        for s in streams().values():
            if s.kind == "fuel":
                assert table.get(s.id, "ncv") and table.default_carbon_content(s.id), (method, s.id)
                assert table.get(s.id, "oxidation"), (method, s.id)
            elif s.id not in ("sinter", "pellets"):
                assert table.get(s.id, "ef"), (method, s.id)
