"""Calculator screens: one generic screen that renders any rules-engine calculator (inputs, result, explanation,
printable estimate), and the administrators' screen that loads official parameter values from a file."""
from ui.calc.admin import ParameterAdminScreen
from ui.calc.screen import CalculatorScreen, screens_for_item

__all__ = ["CalculatorScreen", "ParameterAdminScreen", "screens_for_item"]
