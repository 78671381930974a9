"""Follow-up promises: a table of phrases (es: usted, tú, vos; en) with the due time each pins."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from coaching.analyze import analyze
from coaching.followups import (
    MAX_EXCERPT,
    MAX_PROMISES,
    find_followups,
    find_promises_without_time,
    promise_spans,
)
from coaching.normalize import fold

MX = "America/Mexico_City"
MAD = "Europe/Madrid"
BA = "America/Argentina/Buenos_Aires"
NY = "America/New_York"
DAY = "2026-11-11"  # a Wednesday
ALL = "*"  # the excerpt is the whole phrase

# (phrase, lang, message time: "HH:MM" on DAY or a full local ISO time, tz, due (local ISO) or
#  None when it is not a promise with a time, expected excerpt)
ROWS: list[tuple[str, str, str, str, str | None, str]] = [
    # --- es, usted (Mexico) ---
    ("Le llamo mañana a las 10", "es", "10:00", MX, "2026-11-12T10:00", ALL),
    ("Mañana a las 10 le llamo sin falta", "es", "10:00", MX, "2026-11-12T10:00", ALL),
    ("Le llamo a las 3", "es", "10:00", MX, "2026-11-11T15:00", ALL),
    ("Lo llamo a las 4 de la tarde", "es", "10:00", MX, "2026-11-11T16:00", ALL),
    ("Le escribo a las 9 de la noche", "es", "10:00", MX, "2026-11-11T21:00", ALL),
    ("Le confirmo mañana a las 10 de la mañana", "es", "10:00", MX, "2026-11-12T10:00", ALL),
    ("Le marco a eso de las 11", "es", "10:00", MX, "2026-11-11T11:00", ALL),
    ("Le envío la cotización pasado mañana", "es", "10:00", MX, "2026-11-13T09:00", ALL),
    ("Le llamo el lunes", "es", "10:00", MX, "2026-11-16T09:00", ALL),
    ("Le llamo el próximo martes", "es", "10:00", MX, "2026-11-17T09:00", ALL),
    ("Le escribo el martes que viene", "es", "10:00", MX, "2026-11-17T09:00", ALL),
    ("Le confirmo el miércoles", "es", "10:00", MX, "2026-11-18T09:00", ALL),
    ("Le envío el contrato el 3 de diciembre", "es", "10:00", MX, "2026-12-03T09:00", ALL),
    ("Le confirmo el 3/12", "es", "10:00", MX, "2026-12-03T09:00", ALL),
    ("Le escribo el día 20", "es", "10:00", MX, "2026-11-20T09:00", ALL),
    ("Le llamo mañana a primera hora", "es", "10:00", MX, "2026-11-12T09:00", ALL),
    ("Le llamo a primera hora", "es", "15:00", MX, "2026-11-12T09:00", ALL),
    ("Le llamo a primera hora", "es", "07:00", MX, "2026-11-11T09:00", ALL),
    ("Le confirmo al mediodía", "es", "10:00", MX, "2026-11-11T12:00", ALL),
    ("Le llamo esta tarde", "es", "10:00", MX, "2026-11-11T15:00", ALL),
    ("Lo llamo por la tarde", "es", "10:00", MX, "2026-11-11T15:00", ALL),
    ("Por la tarde le llamo", "es", "16:00", MX, "2026-11-11T17:00", ALL),
    ("Le llamo por la tarde", "es", "21:00", MX, "2026-11-12T15:00", ALL),
    ("Le escribo esta noche", "es", "10:00", MX, "2026-11-11T20:00", ALL),
    ("Le llamo en 20 minutos", "es", "10:00", MX, "2026-11-11T10:20", ALL),
    ("Le respondo en dos horas", "es", "10:00", MX, "2026-11-11T12:00", ALL),
    ("Le confirmo en media hora", "es", "10:00", MX, "2026-11-11T10:30", ALL),
    ("Le llamo en un par de horas", "es", "10:00", MX, "2026-11-11T12:00", ALL),
    ("Le respondo en unos minutos", "es", "10:00", MX, "2026-11-11T10:15", ALL),
    ("Le doy respuesta en tres días", "es", "10:00", MX, "2026-11-14T10:00", ALL),
    ("Le confirmo en 24 a 48 horas", "es", "10:00", MX, "2026-11-13T10:00", ALL),
    ("Le confirmo hoy", "es", "10:00", MX, "2026-11-11T17:00", ALL),
    ("Le confirmo hoy", "es", "18:00", MX, "2026-11-11T19:00", ALL),
    ("Le llamo hoy a las 9", "es", "16:00", MX, "2026-11-11T21:00", ALL),
    ("Le respondo en el transcurso del día", "es", "10:00", MX, "2026-11-11T17:00", ALL),
    ("Le aviso más tarde", "es", "10:00", MX, "2026-11-11T17:00", ALL),
    ("Le aviso más tarde", "es", "18:00", MX, "2026-11-11T19:00", ALL),
    ("Le envío la información esta semana", "es", "10:00", MX, "2026-11-13T09:00", ALL),
    ("Le envío la información esta semana", "es", "2026-11-14T10:00", MX,
     "2026-11-14T11:00", ALL),
    ("Le llamo la próxima semana", "es", "10:00", MX, "2026-11-16T09:00", ALL),
    ("Le escribo la semana que viene", "es", "10:00", MX, "2026-11-16T09:00", ALL),
    ("Le escribiré el martes de la semana que viene", "es", "10:00", MX, "2026-11-17T09:00",
     ALL),
    ("Le confirmo antes de las 5", "es", "10:00", MX, "2026-11-11T17:00", ALL),
    ("Le envío el reembolso a más tardar el viernes", "es", "10:00", MX, "2026-11-13T09:00",
     ALL),
    ("Le respondo antes del mediodía", "es", "10:00", MX, "2026-11-11T12:00", ALL),
    ("Le llamo a las 10", "es", "16:00", MX, "2026-11-12T10:00", ALL),
    ("Le llamo a las 12", "es", "10:00", MX, "2026-11-11T12:00", ALL),
    ("Le llamo a las 12 de la noche", "es", "10:00", MX, "2026-11-12T00:00", ALL),
    ("Le confirmo a las 7:30", "es", "10:00", MX, "2026-11-11T19:30", ALL),
    ("Le confirmo a las 07:30", "es", "10:00", MX, "2026-11-12T07:30", ALL),
    ("Quedo en llamarle mañana a las 9:30", "es", "10:00", MX, "2026-11-12T09:30", ALL),
    ("Me comunico con usted el jueves por la mañana", "es", "10:00", MX, "2026-11-12T09:00",
     ALL),
    ("Vuelvo a contactarle en una hora", "es", "10:00", MX, "2026-11-11T11:00", ALL),
    ("Lo reviso y le digo mañana", "es", "10:00", MX, "2026-11-12T09:00", "le digo mañana"),
    ("Le devuelvo la llamada en 15 minutos", "es", "10:00", MX, "2026-11-11T10:15", ALL),
    ("Mañana le tengo una respuesta", "es", "10:00", MX, "2026-11-12T09:00", ALL),
    ("Voy a llamarle el viernes a las 11", "es", "10:00", MX, "2026-11-13T11:00", ALL),
    ("Le llamaré mañana por la tarde", "es", "10:00", MX, "2026-11-12T15:00", ALL),
    ("Nos comunicaremos con usted el lunes", "es", "10:00", MX, "2026-11-16T09:00", ALL),
    ("Le llamo al 555 123 4567 mañana a las 10", "es", "10:00", MX, "2026-11-12T10:00", ALL),
    ("Su pedido 12345 está en camino; le confirmo el envío mañana", "es", "10:00", MX,
     "2026-11-12T09:00", "le confirmo el envío mañana"),
    ("Le llamo y le confirmo mañana", "es", "10:00", MX, "2026-11-12T09:00", ALL),
    ("Con gusto, se lo envío el lunes por correo", "es", "10:00", MX, "2026-11-16T09:00",
     "se lo envío el lunes por correo"),
    ("Ahorita le marco", "es", "10:00", MX, "2026-11-11T10:15", ALL),
    ("Le hablo al rato", "es", "10:00", MX, "2026-11-11T10:30", ALL),
    ("Le marco en la tarde", "es", "10:00", MX, "2026-11-11T15:00", ALL),
    ("Lo llamooo mañana a las 10 q le parece", "es", "10:00", MX, "2026-11-12T10:00",
     "Lo llamooo mañana a las 10"),
    ("le llamo manana a las 4", "es", "10:00", MX, "2026-11-12T16:00", ALL),
    ("Mañana por la tarde te llamo para coordinar el retiro", "es", "10:00", MX,
     "2026-11-12T15:00", ALL),
    ("Mañana le llamo, hoy ya no puedo", "es", "10:00", MX, "2026-11-12T09:00",
     "Mañana le llamo"),
    ("Lo contactaremos en las próximas 48 horas", "es", "10:00", MX, "2026-11-13T10:00", ALL),
    ("Le doy seguimiento y le contacto el jueves 12 de noviembre", "es", "10:00", MX,
     "2026-11-12T09:00", ALL),
    ("Le contestamos a la brevedad", "es", "10:00", MX, "2026-11-11T11:00", ALL),
    # --- es, tú (Spain) ---
    ("Te llamo mañana sobre las 5", "es", "10:00", MAD, "2026-11-12T17:00", ALL),
    ("Te mando el presupuesto esta tarde", "es", "10:00", MAD, "2026-11-11T15:00", ALL),
    ("Te escribo a las 17:00h", "es", "10:00", MAD, "2026-11-11T17:00", ALL),
    ("Te confirmo en un rato", "es", "10:00", MAD, "2026-11-11T10:30", ALL),
    ("Te aviso el viernes", "es", "10:00", MAD, "2026-11-13T09:00", ALL),
    ("Te voy a llamar a las 8 de la tarde", "es", "10:00", MAD, "2026-11-11T20:00", ALL),
    ("Te lo envío el 20 de noviembre", "es", "10:00", MAD, "2026-11-20T09:00", ALL),
    ("Te llamaré dentro de 3 horas", "es", "10:00", MAD, "2026-11-11T13:00", ALL),
    ("Te doy un toque el lunes a las 10 y media", "es", "10:00", MAD, "2026-11-16T10:30", ALL),
    ("Te escribo sobre las 6 y lo vemos", "es", "10:00", MAD, "2026-11-11T18:00", ALL),
    # --- es, vosotros (Spain) ---
    ("Os escribo el jueves con el presupuesto", "es", "10:00", MAD, "2026-11-12T09:00", ALL),
    ("Os lo mando esta tarde", "es", "10:00", MAD, "2026-11-11T15:00", ALL),
    ("Voy a llamaros a las 12", "es", "10:00", MAD, "2026-11-11T12:00", ALL),
    # --- es, vos (Río de la Plata) ---
    ("Te llamo mañana tipo 15 hs", "es", "10:00", BA, "2026-11-12T15:00", ALL),
    ("Te aviso a la tarde", "es", "10:00", BA, "2026-11-11T15:00", ALL),
    ("Te escribo a la noche", "es", "10:00", BA, "2026-11-11T20:00", ALL),
    ("Te mando el link en 10 minutos", "es", "10:00", BA, "2026-11-11T10:10", ALL),
    ("Te contesto el lunes a primera hora", "es", "10:00", BA, "2026-11-16T09:00", ALL),
    ("Si querés, te llamo el jueves a las 6", "es", "10:00", BA, "2026-11-12T18:00",
     "te llamo el jueves a las 6"),
    ("Dejame ver y te cuento mañana", "es", "10:00", BA, "2026-11-12T09:00",
     "te cuento mañana"),
    ("Te llamo en 5, dejame terminar con esto", "es", "10:00", BA, "2026-11-11T10:05",
     "Te llamo en 5"),
    ("t aviso el lunes sin falta", "es", "10:00", BA, "2026-11-16T09:00", ALL),
    # --- es, phrasings from real chats (issue 2's conventions, extended) ---
    # "el <día> que viene" is that weekday's next occurrence after today, like "el <día>":
    # on a Wednesday "el jueves que viene" is tomorrow, "el miércoles que viene" a week away.
    ("Le llamo el lunes que viene", "es", "10:00", MX, "2026-11-16T09:00", ALL),
    ("Le llamo el jueves que viene", "es", "10:00", MX, "2026-11-12T09:00", ALL),
    ("Te escribo el miércoles que viene", "es", "10:00", MAD, "2026-11-18T09:00", ALL),
    ("Le llamo el lunes que viene a las 10", "es", "10:00", MX, "2026-11-16T10:00", ALL),
    # Business days ("hábiles", "laborables"): like "en N días", the message's wall time N
    # days later, counting only Monday to Friday (no holiday calendar).
    ("Le confirmo en 3 días hábiles", "es", "10:00", MX, "2026-11-16T10:00", ALL),
    ("Le doy respuesta en dos días hábiles", "es", "10:00", MX, "2026-11-13T10:00", ALL),
    ("Le confirmo en 2 días hábiles", "es", "2026-11-13T15:00", MX, "2026-11-17T15:00", ALL),
    ("Te escribo en un día hábil", "es", "2026-11-14T11:00", MAD, "2026-11-16T11:00", ALL),
    ("Le envío el contrato en 5 días laborables", "es", "10:00", MX, "2026-11-18T10:00", ALL),
    # The end of the day is 17:00 today, like "hoy".
    ("Le confirmo antes del fin del día", "es", "10:00", MX, "2026-11-11T17:00", ALL),
    ("Le confirmo antes de que termine el día", "es", "10:00", MX, "2026-11-11T17:00", ALL),
    ("Te lo mando antes del final del día", "es", "10:00", MAD, "2026-11-11T17:00", ALL),
    ("Le escribo a última hora", "es", "10:00", MX, "2026-11-11T17:00", ALL),
    ("Le llamo mañana sin falta", "es", "10:00", MX, "2026-11-12T09:00", ALL),
    ("Le llamo el lunes a primera hora", "es", "10:00", MX, "2026-11-16T09:00", ALL),
    ("Le marco en un ratito", "es", "10:00", MX, "2026-11-11T10:30", ALL),
    ("Le marco ahorita", "es", "10:00", MX, "2026-11-11T10:15", ALL),
    # The conditional is a promise when offered ("si le parece", "si gusta", "¿le parece?"):
    # the agent commits once the customer agrees. Without an offer it is a hypothesis.
    ("Le llamaría mañana si le parece", "es", "10:00", MX, "2026-11-12T09:00",
     "Le llamaría mañana"),
    ("Si le parece bien, le llamaría mañana a las 10", "es", "10:00", MX, "2026-11-12T10:00",
     "le llamaría mañana a las 10"),
    ("Te escribiría el lunes, ¿te parece?", "es", "10:00", MAD, "2026-11-16T09:00",
     "Te escribiría el lunes"),
    ("Te mandaría el link mañana si querés", "es", "10:00", BA, "2026-11-12T09:00",
     "Te mandaría el link mañana"),
    ("Le llamaría mañana, pero no tengo su número", "es", "10:00", MX, None, ""),
    ("El técnico le llamaría mañana si le parece", "es", "10:00", MX, None, ""),
    # A time in a clause about a delivery is that clause's, not the act done now; "ya le tengo"
    # is had, not promised.
    ("Debería llegarle mañana, le comparto la guía para rastrearla", "es", "10:00", MX, None, ""),
    ("Ya le tengo la solución: le devolví el dinero ahorita mismo", "es", "10:00", MX, None, ""),
    ("Le tengo la solución mañana a las 10", "es", "10:00", MX, "2026-11-12T10:00", ALL),
    ("Mañana, le comparto el informe", "es", "10:00", MX, "2026-11-12T09:00", ALL),
    ("El envío tarda 3 días hábiles", "es", "10:00", MX, None, ""),
    # A first person plural after a noun and "que", or after "si" and a noun, is a preterite
    # describing what was sent, not a promise; the same verb on its own still promises.
    ("¿No revisaste el mail que te mandamos el lunes? Está ahí.", "es", "10:00", BA, None, ""),
    ("No diga eso, si el aviso se lo mandamos el martes.", "es", "10:00", MX, None, ""),
    ("Se lo mandamos el lunes sin falta", "es", "10:00", MX, "2026-11-16T09:00", ALL),
    ("Le confirmo que le mandamos el técnico el viernes", "es", "10:00", MX, "2026-11-13T09:00",
     "le mandamos el técnico el viernes"),
    # A date without a year that passed weeks ago is the past; one months gone is next year's.
    ("¿No vio el aviso que le enviamos el 3 de octubre?", "es", "10:00", MX, None, ""),
    ("Le llamo el 15 de octubre", "es", "10:00", MX, None, ""),
    ("Le llamo el 10 de enero", "es", "10:00", MX, "2027-01-10T09:00", ALL),
    ("La oferta termina hoy a última hora", "es", "10:00", MX, None, ""),
    ("Le llamaría la atención que no llegara mañana", "es", "10:00", MX, None, ""),
    # --- es, not a promise with a time ---
    ("Le llamé ayer por la tarde", "es", "10:00", MX, None, ""),
    ("Le envié el correo ayer", "es", "10:00", MX, None, ""),
    ("Le enviamos el correo ayer", "es", "10:00", MX, None, ""),
    ("El supervisor le envió el reporte", "es", "10:00", MX, None, ""),
    ("Su pedido llegará mañana", "es", "10:00", MX, None, ""),
    ("El técnico lo llamará mañana", "es", "10:00", MX, None, ""),
    ("El técnico le va a llamar mañana a las 10", "es", "10:00", MX, None, ""),
    ("Usted puede llamarnos mañana", "es", "10:00", MX, None, ""),
    ("Llámenos mañana a las 10", "es", "10:00", MX, None, ""),
    ("Escribinos mañana y lo vemos", "es", "10:00", BA, None, ""),
    ("El horario es de 9 a 6", "es", "10:00", MX, None, ""),
    ("Atendemos de lunes a viernes", "es", "10:00", MX, None, ""),
    ("La oferta vence el viernes", "es", "10:00", MX, None, ""),
    ("Si usted nos llama mañana, con gusto le atendemos", "es", "10:00", MX, None, ""),
    ("Si me llama mañana, le confirmo", "es", "10:00", MX, None, ""),
    ("Llámeme al 555 123 4567", "es", "10:00", MX, None, ""),
    ("Su pedido 12345 ya salió", "es", "10:00", MX, None, ""),
    ("Marque 2 para ventas, opción 3 para soporte", "es", "10:00", MX, None, ""),
    ("No le puedo llamar mañana", "es", "10:00", MX, None, ""),
    ("No te voy a llamar mañana", "es", "10:00", MAD, None, ""),
    ("Le confirmo que su pedido llega mañana", "es", "10:00", MX, None, ""),
    ("Le aviso que mañana no hay servicio", "es", "10:00", MX, None, ""),
    ("Le escribo para informarle que mañana cerramos", "es", "10:00", MX, None, ""),
    ("Ya le llamo", "es", "10:00", MX, None, ""),
    ("Me llamo Ana, ¿en qué le ayudo?", "es", "10:00", MX, None, ""),
    ("Te paso con mi supervisor", "es", "10:00", MAD, None, ""),
    ("Le hablo de la promoción de mañana", "es", "10:00", MX, None, ""),
    ("> le llamo mañana a las 10", "es", "10:00", MX, None, ""),
    ("Le confirmo su cita para el 15 de diciembre a las 10", "es", "10:00", MX, None, ""),
    ("Le confirmo: su visita es el lunes", "es", "10:00", MX, None, ""),
    ("Nuestro técnico le visitará el martes entre las 9 y las 2", "es", "10:00", MX, None, ""),
    # --- en ---
    ("I'll call you tomorrow at 10am", "en", "10:00", NY, "2026-11-12T10:00", ALL),
    ("I will send the invoice by Friday", "en", "10:00", NY, "2026-11-13T09:00", ALL),
    ("I'm going to call you in 2 hours", "en", "10:00", NY, "2026-11-11T12:00", ALL),
    ("We'll get back to you next week", "en", "10:00", NY, "2026-11-16T09:00", ALL),
    ("I'll follow up this afternoon", "en", "10:00", NY, "2026-11-11T15:00", ALL),
    ("I'll email you at 3 pm", "en", "10:00", NY, "2026-11-11T15:00", ALL),
    ("I'll let you know by end of day", "en", "10:00", NY, "2026-11-11T17:00", ALL),
    ("Let me check and get back to you in 30 minutes", "en", "10:00", NY,
     "2026-11-11T10:30", ALL),
    ("I'll call you at 3", "en", "10:00", NY, "2026-11-11T15:00", ALL),
    ("I'll text you tonight", "en", "10:00", NY, "2026-11-11T20:00", ALL),
    ("I'll get back to you on December 3", "en", "10:00", NY, "2026-12-03T09:00", ALL),
    ("I'll send it over in half an hour", "en", "10:00", NY, "2026-11-11T10:30", ALL),
    ("I'll call you back at 9:30", "en", "14:00", NY, "2026-11-12T09:30", ALL),
    ("I'll reach out first thing tomorrow", "en", "10:00", NY, "2026-11-12T09:00", ALL),
    ("Tomorrow morning I will call you", "en", "10:00", NY, "2026-11-12T09:00", ALL),
    ("I'll have an answer for you on Monday afternoon", "en", "10:00", NY,
     "2026-11-16T15:00", "I'll have an answer for you on Monday afternoon"),
    ("We will contact you within 24 hours", "en", "10:00", NY, "2026-11-12T10:00", ALL),
    ("I'll call you tomorrow at 555 123 4567", "en", "10:00", NY, "2026-11-12T09:00", ALL),
    ("I'll call you on Monday, November 16 at 2pm", "en", "10:00", NY, "2026-11-16T14:00",
     ALL),
    ("I'll send it on 12/3", "en", "10:00", NY, "2026-12-03T09:00", ALL),
    ("I will get back to you as soon as possible", "en", "10:00", NY, "2026-11-11T11:00", ALL),
    ("I'll be in touch later today", "en", "10:00", NY, "2026-11-11T17:00", ALL),
    # End of day / EOD / COB is 17:00 today; business days skip weekends (wall time kept);
    # a bare number after "in" is no time in English ("ping you in 30": minutes? hours?).
    ("I'll send it by EOD", "en", "10:00", NY, "2026-11-11T17:00", ALL),
    ("I'll get back to you by COB", "en", "10:00", NY, "2026-11-11T17:00", ALL),
    ("I'll email you by the end of the day", "en", "10:00", NY, "2026-11-11T17:00", ALL),
    ("I'll call you first thing tomorrow", "en", "10:00", NY, "2026-11-12T09:00", ALL),
    ("I'll get back to you within 24 hours", "en", "10:00", NY, "2026-11-12T10:00", ALL),
    ("I'll send it in 2 business days", "en", "10:00", NY, "2026-11-13T10:00", ALL),
    ("We'll reply within 3 working days", "en", "2026-11-13T16:00", NY, "2026-11-18T16:00",
     ALL),
    ("I'll call you next Monday", "en", "10:00", NY, "2026-11-16T09:00", ALL),
    ("I'll update you later today", "en", "10:00", NY, "2026-11-11T17:00", ALL),
    ("I'll follow up tomorrow morning", "en", "10:00", NY, "2026-11-12T09:00", ALL),
    ("I'll ping you in 30", "en", "10:00", NY, None, ""),
    ("Our hours are 9 to 5", "en", "10:00", NY, None, ""),
    ("Delivery takes 3 business days", "en", "10:00", NY, None, ""),
    ("The offer ends by end of day", "en", "10:00", NY, None, ""),
    ("I called you yesterday", "en", "10:00", NY, None, ""),
    ("The technician will call you tomorrow", "en", "10:00", NY, None, ""),
    ("You can call us tomorrow", "en", "10:00", NY, None, ""),
    ("Your order will arrive tomorrow", "en", "10:00", NY, None, ""),
    ("I won't be able to call you tomorrow", "en", "10:00", NY, None, ""),
    ("I will not call you tomorrow", "en", "10:00", NY, None, ""),
    ("Please call me at 555 123 4567", "en", "10:00", NY, None, ""),
    ("We're open 9 to 6", "en", "10:00", NY, None, ""),
    ("I'll ask him to call you tomorrow", "en", "10:00", NY, None, ""),
    ("Let me know if you need anything else tomorrow", "en", "10:00", NY, None, ""),
    ("I'll make sure someone calls you tomorrow", "en", "10:00", NY, None, ""),
    # --- issue 8: diminutives, chat forms, "deme … y", "quedo de", weekday first ---
    # A diminutive is the same span: "horita" an hour, "minutitos" minutes, "media horita" 30.
    ("Te devuelvo la llamada en un par de horitas", "es", "10:00", MX, "2026-11-11T12:00", ALL),
    ("Le escribo en diez minutitos con el número de guía", "es", "10:00", MX,
     "2026-11-11T10:10", ALL),
    ("Te confirmo en media horita si se acreditó el pago", "es", "10:00", BA,
     "2026-11-11T10:30", ALL),
    ("En cinco minutitos le marco", "es", "10:00", MX, "2026-11-11T10:05", ALL),
    ("Le llamo en una horita", "es", "10:00", MX, "2026-11-11T11:00", ALL),
    # Chat forms: "t" is "te" (normalize), "marcar" is to call (Mexico), "x" is "por".
    ("t escribo mañana temprano x whatsapp", "es", "10:00", BA, "2026-11-12T09:00", ALL),
    ("Le marco el viernes a las 12 para ver lo de la garantía", "es", "10:00", MX,
     "2026-11-13T12:00", ALL),
    ("Te marco en 15 minutos, x acá no me deja adjuntar", "es", "10:00", MX,
     "2026-11-11T10:15", "Te marco en 15 minutos"),
    ("Le aviso x aquí mañana a primera hora", "es", "10:00", MX, "2026-11-12T09:00", ALL),
    ("lo reviso y t aviso en 10", "es", "10:00", BA, "2026-11-11T10:10", "t aviso en 10"),
    # "deme / dame / denme / give me <span> y / and <promise>": the span asked for is the
    # promise's time; a thing asked for ("deme su número y…") is no time.
    ("Deme media hora y le aviso", "es", "10:00", MX, "2026-11-11T10:30", ALL),
    ("Dame 10 minutos y te confirmo el saldo", "es", "10:00", MAD, "2026-11-11T10:10", ALL),
    ("Denme un par de horas y les escribo con la respuesta del banco", "es", "10:00", MX,
     "2026-11-11T12:00", ALL),
    ("Give me half an hour and I'll ping you with the tracking number", "en", "10:00", NY,
     "2026-11-11T10:30", ALL),
    ("Deme su número de pedido y le confirmo", "es", "10:00", MX, None, ""),
    ("Deme 5 minutos por favor y le confirmo", "es", "10:00", MX, "2026-11-11T10:05", ALL),
    # "quedo de" + infinitive (Mexico) is "quedo en": a promise.
    ("Quedo de llamarle mañana a las 11", "es", "10:00", MX, "2026-11-12T11:00", ALL),
    ("Quedamos de enviarle la póliza el lunes", "es", "10:00", MX, "2026-11-16T09:00", ALL),
    # A weekday first; a weekday with a day number: the day number decides when they disagree
    # (on Wednesday 11 November "el jueves 13" is Friday the 13th); a number that reads as an
    # hour ("el lunes 9 de la mañana") stays an hour.
    ("El jueves le marco para darle el folio", "es", "10:00", MX, "2026-11-12T09:00", ALL),
    ("On Friday I'll send you the signed contract", "en", "10:00", NY, "2026-11-13T09:00", ALL),
    ("Le llamo el jueves 12 a las 4", "es", "10:00", MX, "2026-11-12T16:00", ALL),
    ("Le escribo el jueves 13", "es", "10:00", MX, "2026-11-13T09:00", ALL),
    ("Te mando el presupuesto el viernes 13 de marzo", "es", "10:00", MAD, "2027-03-13T09:00",
     ALL),
    ("I'll call you on Friday the 13th", "en", "10:00", NY, "2026-11-13T09:00", ALL),
    ("I'll email you Monday the 16th at 2pm", "en", "10:00", NY, "2026-11-16T14:00", ALL),
    ("Le marco el lunes 9 de la mañana", "es", "10:00", MX, "2026-11-16T09:00", ALL),
    # In English only "the 10(th)" / "10th" after a weekday is a date: "Friday 10" may be 10:00.
    ("I'll email you Monday 16th", "en", "10:00", NY, "2026-11-16T09:00", ALL),
    # "a fin de mes": the month's last day, 09:00 (a day without a time); "a medianoche":
    # 00:00 of the next day; "by Friday noon": Friday 12:00.
    ("Le envío el estado de cuenta a fin de mes, cuando cierre el ciclo", "es", "10:00", MX,
     "2026-11-30T09:00", "Le envío el estado de cuenta a fin de mes"),
    ("Le confirmo a finales de mes si se aprobó el crédito", "es", "10:00", MX,
     "2026-11-30T09:00", ALL),
    ("I'll confirm by the end of the month", "en", "10:00", NY, "2026-11-30T09:00", ALL),
    ("Te escribo a medianoche cuando termine la migración", "es", "10:00", MAD,
     "2026-11-12T00:00", ALL),
    ("Antes de medianoche le mando el comprobante", "es", "10:00", MX, "2026-11-12T00:00", ALL),
    ("I'll send you the revised quote by Friday noon so your team can review it", "en",
     "10:00", NY, "2026-11-13T12:00", ALL),
    # Not promises, never the promised time: an act done now, opening hours, a date that names
    # a thing ("la factura del día 3"; "antes del 15" is a deadline again), a past fact, and a
    # span before another act joined by "y" ("ahora mismo lo miro y…": the looking is now).
    ("Le compartimos un link para que pague en línea", "es", "10:00", MX, None, ""),
    ("Te paso el enlace del formulario", "es", "10:00", MAD, None, ""),
    ("Le comparto el link de pago, vence mañana", "es", "10:00", MX, None, ""),
    ("Atendemos de lunes a viernes de 9:00 a 21:00", "es", "10:00", MX, None, ""),
    ("Le paso el link, atendemos de lunes a viernes de 9 a 18 hs", "es", "10:00", BA, None, ""),
    ("Le llamo mañana; atendemos de lunes a viernes de 9:00 a 21:00", "es", "10:00", MX,
     "2026-11-12T09:00", "Le llamo mañana"),
    ("Te escribo el lunes, nuestro horario es de 9:00 a 21:00", "es", "10:00", MAD,
     "2026-11-16T09:00", "Te escribo el lunes"),
    ("I'll call you tomorrow, we're open Monday to Friday from 9am to 5pm", "en", "10:00", NY,
     "2026-11-12T09:00", "I'll call you tomorrow"),
    ("Le envío la factura del día 3", "es", "10:00", MX, None, ""),
    ("Le mando el resumen del 1 al 15 de diciembre mañana", "es", "10:00", MX,
     "2026-11-12T09:00", ALL),
    ("I'll get back to you today, our hours are 9am-5pm Monday to Friday", "en", "10:00", NY,
     "2026-11-11T17:00", "I'll get back to you today"),
    ("Le reviso la factura del día 3 y le aviso mañana", "es", "10:00", MX,
     "2026-11-12T09:00", "le aviso mañana"),
    ("Le envío el contrato antes del 15 de diciembre", "es", "10:00", MX, "2026-12-15T09:00",
     ALL),
    ("La cita era el viernes, ya lo sabía", "es", "10:00", MX, None, ""),
    ("La cita era el viernes, le confirmo cuando tenga novedades", "es", "10:00", MX, None, ""),
    ("Vale, ahora mismo lo miro y le digo algo", "es", "10:00", MAD, None, ""),
    ("Ahorita lo reviso y le marco", "es", "10:00", MX, None, ""),
    ("Mañana lo reviso y le aviso", "es", "10:00", MX, "2026-11-12T09:00", ALL),
    # The excerpt is the whole promise clause (verb, object, purpose, a "si…" content clause),
    # up to its sentence's end, a comma, a contrast or thanks, an offer, or the next promise.
    ("Te llamo en media hora para confirmar el cambio de plan", "es", "10:00", MAD,
     "2026-11-11T10:30", ALL),
    ("Le confirmo en 1 minuto si hay stock", "es", "10:00", MX, "2026-11-11T10:01", ALL),
    ("Le llamo mañana a las 10 para revisar el contrato, gracias por su paciencia", "es",
     "10:00", MX, "2026-11-12T10:00", "Le llamo mañana a las 10 para revisar el contrato"),
    ("Le mando la guía hoy por la tarde. Cualquier duda me escribe.", "es", "10:00", MX,
     "2026-11-11T15:00", "Le mando la guía hoy por la tarde"),
    ("I'll call you tomorrow at 10 to walk you through the new plan, thanks for waiting", "en",
     "10:00", NY, "2026-11-12T10:00",
     "I'll call you tomorrow at 10 to walk you through the new plan"),
    # --- DST and time zones ---
    ("Le llamo mañana a las 10", "es", "2026-10-24T12:00", MAD, "2026-10-25T10:00", ALL),
    ("I'll call you in 2 hours", "en", "2026-11-01T00:30", NY, "2026-11-01T01:30-05:00", ALL),
    ("Te llamo mañana a las 2:30 de la madrugada", "es", "2026-03-28T10:00", MAD,
     "2026-03-29T03:30", ALL),
    ("Le escribo en 2 días", "es", "2026-03-28T10:00", MAD, "2026-03-30T10:00", ALL),
]  # fmt: skip


def _now(when: str, tz: ZoneInfo) -> datetime:
    local = f"{DAY}T{when}" if len(when) == 5 else when
    return datetime.fromisoformat(local).replace(tzinfo=tz)


def _due(expected: str, tz: ZoneInfo) -> datetime:
    dt = datetime.fromisoformat(expected)
    return dt if dt.tzinfo else dt.replace(tzinfo=tz)


def test_table_is_big_enough() -> None:
    assert len(ROWS) >= 70
    assert {r[1] for r in ROWS} == {"es", "en"}


@pytest.mark.parametrize(("text", "lang", "when", "tz", "due", "excerpt"), ROWS)
def test_followup_table(text, lang, when, tz, due, excerpt) -> None:
    zone = ZoneInfo(tz)
    found = find_followups(fold(text), lang, _now(when, zone), zone)
    if due is None:
        assert found == []
        return
    assert len(found) == 1, found
    fu = found[0]
    expected = _due(due, zone)
    # Same instant, same wall time and offset (timestamps: PEP 495 makes an ambiguous hour
    # compare unequal across tzinfo objects).
    assert fu.due.timestamp() == expected.timestamp()
    assert fu.due.replace(tzinfo=None) == expected.replace(tzinfo=None)
    assert fu.due.utcoffset() == expected.utcoffset()
    assert fu.due.tzinfo is not None
    assert fu.excerpt == text[fu.start : fu.end]
    assert fu.excerpt == (text if excerpt == ALL else excerpt)


def test_now_in_another_zone_is_converted() -> None:
    zone = ZoneInfo(MX)
    now = datetime.fromisoformat("2026-11-11T16:00:00+00:00")  # 10:00 in Mexico City
    (fu,) = find_followups(fold("le llamo a las 3"), "es", now, zone)
    assert fu.due == datetime(2026, 11, 11, 15, 0, tzinfo=zone)


def test_two_promises_two_times() -> None:
    zone = ZoneInfo(MX)
    text = "Le llamo mañana a las 10 y le escribo el viernes. Gracias."
    found = find_followups(fold(text), "es", _now("10:00", zone), zone)
    assert [f.due for f in found] == [
        datetime(2026, 11, 12, 10, tzinfo=zone),
        datetime(2026, 11, 13, 9, tzinfo=zone),
    ]
    assert [f.excerpt for f in found] == ["Le llamo mañana a las 10", "le escribo el viernes"]


def test_offsets_survive_accents_and_quotes() -> None:
    zone = ZoneInfo(MX)
    text = 'Cliente: "llámeme ya". Agente: Sííí, le llamo mañana a las 10 de la mañana.'
    (fu,) = find_followups(fold(text), "es", _now("10:00", zone), zone)
    assert fu.excerpt == text[fu.start : fu.end] == "le llamo mañana a las 10 de la mañana"


@pytest.mark.parametrize(
    ("text", "lang", "excerpts"),
    [
        ("Lo reviso y le aviso", "es", ["le aviso"]),
        ("Déjeme verificarlo y le confirmo.", "es", ["le confirmo"]),
        ("Voy a llamarle para darle seguimiento", "es", ["Voy a llamarle para darle seguimiento"]),
        ("Te aviso en cuanto tenga novedades", "es", ["Te aviso en cuanto tenga novedades"]),
        ("I'll let you know", "en", ["I'll let you know"]),
        ("I'll ping you in 30", "en", ["I'll ping you in 30"]),
        ("Le llamaría si le parece", "es", ["Le llamaría"]),
        ("Le llamaría, pero no tengo su número", "es", []),
        ("Le envío el enlace: https://example.com", "es", []),
        ("Le llamo mañana a las 10", "es", []),
        ("Le llamé ayer", "es", []),
        ("Su pedido llegará pronto", "es", []),
        ("Te aviso x aquí", "es", ["Te aviso x aquí"]),
        ("Vale, ahora mismo lo miro y le digo algo", "es", ["le digo algo"]),
        ("La cita era el viernes, ya lo sabía, le aviso", "es", ["le aviso"]),
        ("Lo reviso y le aviso. Gracias por esperar", "es", ["le aviso"]),
    ],
)
def test_promises_without_time(text, lang, excerpts) -> None:
    spans = find_promises_without_time(fold(text), lang)
    assert [s.excerpt for s in spans] == excerpts
    for s in spans:
        assert text[s.start : s.end] == s.excerpt


def test_excerpt_is_bounded_and_stops_at_the_next_promise() -> None:
    zone = ZoneInfo(MX)
    now = _now("10:00", zone)
    words = " ".join(["revisar el detalle de cada cargo"] * 12)
    text = f"Le llamo mañana a las 10 para {words}. Gracias."
    (fu,) = find_followups(fold(text), "es", now, zone)
    assert fu.excerpt == text[fu.start : fu.end]
    assert fu.excerpt.startswith("Le llamo mañana a las 10 para revisar")
    assert len(fu.excerpt) <= MAX_EXCERPT
    assert text[fu.end] == " " and fu.excerpt[-1] != " "  # cut at a word boundary
    text = "Te llamo mañana para ver el cambio de plan y te escribo el viernes con la factura"
    found = find_followups(fold(text), "es", now, zone)
    assert [f.excerpt for f in found] == [
        "Te llamo mañana para ver el cambio de plan",
        "te escribo el viernes con la factura",
    ]


def test_analysis_quotes_the_whole_promise() -> None:
    """What the acknowledgement and the reminder quote: the promise with its content clause."""
    zone = ZoneInfo(MX)
    text = "Le confirmo en 1 minuto si hay stock. Gracias por esperar."
    result = analyze(text, role="agent", now=_now("10:00", zone), tz=zone)
    (fu,) = result.followups
    assert fu.excerpt == "Le confirmo en 1 minuto si hay stock"
    assert fu.due == datetime(2026, 11, 11, 10, 1, tzinfo=zone)


def test_promise_spans_cover_timed_and_untimed() -> None:
    text = "Le llamo mañana. Lo reviso y le aviso."
    assert [s.excerpt for s in promise_spans(fold(text), "es")] == ["Le llamo mañana", "le aviso"]


def test_long_message_is_linear_and_fast() -> None:
    """Ten times the text costs about ten times the time (a quadratic scan would cost a hundred);
    CPU time, best of three, so a busy machine does not decide it."""
    zone = ZoneInfo(MX)
    now = _now("10:00", zone)
    filler = "a las de la le lo en 1 2 3 5551234 manana tarde " * 900  # ~45,000 characters
    text = filler[:40_000] + " Le llamo mañana a las 10."
    found = find_followups(fold(text), "es", now, zone)
    assert found and found[-1].due == datetime(2026, 11, 12, 10, tzinfo=zone)
    assert _growth(lambda n: find_followups(fold(filler[:n]), "es", now, zone), 4_000) < 25
    many = "Le llamo mañana a las 10. " * 1500
    assert len(find_followups(fold(many), "es", now, zone)) == MAX_PROMISES


def _growth(run: Callable[[int], object], n: int) -> float:
    """CPU time of `run(10 * n)` over that of `run(n)`, each the best of three."""

    def best(size: int) -> float:
        times = []
        for _ in range(3):
            started = time.process_time()
            run(size)
            times.append(time.process_time() - started)
        return max(min(times), 1e-4)

    return best(10 * n) / best(n)


def test_a_meridiem_abbreviation_keeps_its_period() -> None:
    """Issue 10: "10 a.m." is quoted whole, not as "10 a.m"."""
    from datetime import UTC, datetime

    from coaching import analyze

    now = datetime(2026, 11, 9, 16, tzinfo=UTC)
    for text, quoted in (
        ("Le llamo mañana a las 10 a.m.", "Le llamo mañana a las 10 a.m."),
        ("I'll call you tomorrow at 10 a.m. sharp", "I'll call you tomorrow at 10 a.m. sharp"),
    ):
        (fu,) = analyze(text, now=now, tz="America/Mexico_City").followups
        assert fu.excerpt == quoted


@pytest.mark.parametrize(
    ("text", "dues"),
    [
        # "a.m." before the verb does not end the sentence: the time is the promise's
        ("Mañana a las 7:30 a.m. te llamo antes de que salgas.", ["2026-12-11T07:30"]),
        ("A las 7:30 a.m. te llamo.", ["2026-12-11T07:30"]),
        ("At 9 a.m. I'll call you.", ["2026-12-11T09:00"]),
        # before a capital it does: two sentences, two promises
        (
            "Le llamo a las 5 p.m. Mañana le mando el resumen.",
            ["2026-12-10T17:00", "2026-12-11T09:00"],
        ),
        (
            "I'll call at 5 p.m. Tomorrow I'll send the summary.",
            ["2026-12-10T17:00", "2026-12-11T09:00"],
        ),
    ],
)
def test_a_meridiem_period_ends_a_sentence_only_before_a_capital(
    text: str, dues: list[str]
) -> None:
    assert _dues(text, "2026-12-10T10:30:00-04:00", "America/Caracas") == dues


def _dues(text: str, now: str, tz: str) -> list[str]:
    """The follow-ups' due times of `text` written at `now` in `tz`, to the minute."""
    from datetime import datetime

    from coaching import analyze

    found = analyze(text, now=datetime.fromisoformat(now), tz=tz).followups
    return [u.due.isoformat()[:16] for u in found]


@pytest.mark.parametrize(
    ("text", "ts", "dues"),
    [
        # the progressive as a future, like the present
        ("Listo, a las 4 de la tarde le estoy llamando.", "2026-09-15T10:00", ["2026-09-15T16:00"]),
        ("La próxima semana le estoy marcando.", "2026-10-21T12:00", ["2026-10-26T09:00"]),
        ("El técnico debía llegar a las 10, ya lo estoy llamando.", "2026-11-16T09:12", []),
        # a span asked for, with "ya", a diminutive, "chance de"
        ("Regáleme 10 minuticos y ya le confirmo.", "2026-09-15T14:22", ["2026-09-15T14:32"]),
        ("Dame chance de una hora y te confirmo.", "2026-10-20T14:05", ["2026-10-20T15:05"]),
        # returning the call
        ("En una hora le devuelvo el llamado.", "2026-09-17T09:40", ["2026-09-17T10:40"]),
        # a booking closing its clause leaves the verb a promise; one with its own date does not
        ("El martes le confirmo la cita.", "2026-10-10T10:00", ["2026-10-13T09:00"]),
        (
            "En una hora le confirmo el turno y el viernes le envío el resumen.",
            "2026-11-10T09:00",
            ["2026-11-10T10:00", "2026-11-13T09:00"],
        ),
        ("Le confirmo su cita para el 15.", "2026-10-05T12:00", []),
        # a time that belongs to a thing is not the promise's
        ("Te llamo para confirmar tu cita del jueves a las 10.", "2026-10-05T12:00", []),
        ("Te escribo para recordarte tu pago de mañana.", "2026-11-12T16:00", []),
        # "ahorita mismo" is now, not in a while
        ("Ahorita mismo le mando el enlace.", "2026-12-02T12:00", []),
        ("Ahorita le mando el enlace.", "2026-12-02T12:00", ["2026-12-02T12:15"]),
        # "I'll have X to you by…"
        (
            "I'll have the order details to you by Thursday.",
            "2026-10-19T10:00",
            ["2026-10-22T09:00"],
        ),
    ],
)
def test_more_ways_of_promising_and_times_that_are_not_the_promises(
    text: str, ts: str, dues: list[str]
) -> None:
    assert _dues(text, ts + ":00-05:00", "America/Bogota") == dues


@pytest.mark.parametrize(
    ("text", "ts", "dues"),
    [
        # the future progressive, and «me voy a comunicar», «lo primero que hago es llamarle»
        ("Le voy a estar marcando a las 4 de la tarde.", "2026-10-15T13:05", ["2026-10-15T16:00"]),
        ("El lunes a las 9 le estaré enviando la nota.", "2026-10-16T16:40", ["2026-10-19T09:00"]),
        (
            "Me voy a comunicar con usted el viernes en la tarde.",
            "2026-10-08T15:00",
            ["2026-10-09T15:00"],
        ),
        (
            "Mañana a las 8 lo primero que hago es llamarle.",
            "2026-12-15T19:05",
            ["2026-12-16T08:00"],
        ),
        # a booking described, not dated, leaves «le confirmo» a promise
        (
            "Mañana por la mañana le confirmo el horario del transfer.",
            "2026-10-28T14:40",
            ["2026-10-29T09:00"],
        ),
        (
            "Hoy antes de las 10 te confirmo el turno con el médico.",
            "2026-11-03T08:40",
            ["2026-11-03T10:00"],
        ),
        # the span asked for with a purpose between it and the promise
        (
            "Permítame unos 30 minutos para revisar con facturación y le regreso la llamada.",
            "2026-12-14T11:15",
            ["2026-12-14T11:45"],
        ),
        # a time before a contrast is the other clause's
        (
            "Mañana abrimos medio día, pero yo le escribo el lunes.",
            "2026-11-27T17:40",
            ["2026-11-30T09:00"],
        ),
        # a deadline past the comma is the promise's
        (
            "Le aviso en cuanto me confirmen, a más tardar mañana a las 12.",
            "2026-12-08T13:45",
            ["2026-12-09T12:00"],
        ),
        # informing now is no promise
        ("Te aviso de que mañana cortarán el agua de 10 a 14.", "2026-12-08T13:45", []),
        # English: an errand before the contact verb, more contact verbs, "this arvo"
        (
            "Let me check with engineering and get back to you in 30 minutes.",
            "2026-09-16T13:20",
            ["2026-09-16T13:50"],
        ),
        (
            "I'll chase that up with the courier and get back to you this arvo.",
            "2026-10-06T10:15",
            ["2026-10-06T15:00"],
        ),
        (
            "I'll give you a bell at 2 to confirm the booking.",
            "2026-10-13T09:40",
            ["2026-10-13T14:00"],
        ),
        ("I will revert by EOD with the resolution.", "2026-10-08T11:00", ["2026-10-08T17:00"]),
    ],
)
def test_more_promises_found_in_a_second_blind_set(text: str, ts: str, dues: list[str]) -> None:
    assert _dues(text, ts + ":00-05:00", "America/Bogota") == dues


def test_sentence_bound_finds_what_its_plain_form_finds() -> None:
    import random
    import re

    from coaching.followups import _BOUND

    plain = re.compile(r"[!?;\n]|(?<!\.m)(?<!\.\sm)\.(?!\d)(?!\s?m\b)")
    rng = random.Random(4)
    pieces = [".", "!", "?", ";", "\n", " ", "m", "a", "p", "1", "a.m.", "p. m", ".m", "x"]
    for _ in range(20_000):
        text = "".join(rng.choices(pieces, k=rng.randint(0, 12)))
        lo, hi = sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))
        want = [m.span() for m in plain.finditer(text, lo, hi)]
        assert [m.span() for m in _BOUND.finditer(text, lo, hi)] == want, (text, lo, hi)


@pytest.mark.parametrize(
    ("regex", "words", "phrases"),
    [
        (
            "_CUT_AFTER",
            "_CUT_WORDS",
            "si if cuando when unless a menos que|en caso de que|para que|a fin de que|so that"
            "|so you|once you",
        ),
        (
            "_PAST_FACT",
            "_PAST_WORDS",
            "era eran fue fueron estaba estaban estuvo tenia tenian tuvo habia habian hubo iba iban"
            " vencio vencia llegaba was were had did used to",
        ),
        ("followup_verbs._NEGATED", "followup_verbs._NEG_WORDS", "no nunca tampoco jamas ni"),
        (
            "_CLAUSE_STOP",
            "_STOP_WORDS",
            ", … ( ) [ ] : :1 - – — pero but aunque although sin embargo however mientras tanto"
            " meanwhile gracias thanks thank you saludos regards",
        ),
    ],
)
def test_a_regex_is_skipped_only_where_it_cannot_match(
    regex: str, words: str, phrases: str
) -> None:
    """A range holding none of the skip words has no match of the regex they stand for."""
    import random

    from coaching import followup_verbs, followups
    from coaching.followup_verbs import holds_any

    def named(name: str) -> Any:
        module, _, attr = name.rpartition(".")
        return getattr(followup_verbs if module else followups, attr)

    rx, found = named(regex), named(words)
    rng = random.Random(7)
    pieces = [*phrases.replace("|", " ").split(), *phrases.split("|"), " ", "  ", "\n", "x", "a"]
    for _ in range(20_000):
        text = "".join(rng.choices(pieces, k=rng.randint(0, 8)))
        lo, hi = sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))
        if rx.search(text, lo, hi) is not None:
            assert holds_any(found, text, lo, hi), (text, lo, hi)


def test_one_scan_finds_the_sentence_two_scans_found() -> None:
    """`_sentence` scans for bounds once, across the verb: the same ends as a scan before it
    (stopping at it) and a search after it."""
    import random

    from coaching.followup_verbs import find_verbs
    from coaching.followups import _BOUND, BACK, FWD, _sentence

    def two_scans(text: str, start: int, end: int) -> tuple[int, int]:
        lo, hi = max(0, start - BACK), min(len(text), end + FWD)
        first = lo
        for m in _BOUND.finditer(text, lo, start):
            first = m.end()
        after = _BOUND.search(text, end, hi)
        return first, after.start() if after else hi

    rng = random.Random(5)
    pieces = ["le llamo", "me comunico", "i'll\ncall you", "mañana", ".", "a.m.", "p. m", ". m",
              "m", "5", "!", ";", "\n", " ", "x" * 30, "ya"]  # fmt: skip
    for _ in range(5_000):
        folded = fold("".join(rng.choices(pieces, k=rng.randint(1, 12))))
        for lang in ("es", "en"):
            for v in find_verbs(folded, lang):
                want = two_scans(folded.text, v.start, v.end)
                assert _sentence(folded.text, v, []) == want, (folded.text, v)
