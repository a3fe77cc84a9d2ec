# ruff: noqa: E501  (the seed's recommendations are kept verbatim, one per line)
"""The first questionnaire and the seed's recommendations, loaded by a data migration.

``RECOMMENDATIONS`` are the 57 recommendations of seed 002, verbatim and in the seed's order
(which runs component by component, from the basic to the advanced level); the questionnaire
is ours (the seed has none). After the migration both are data that Coordinación edits in the
admin; ``load`` only adds a component that is missing, so it never overwrites those edits.
"""

import uuid

NONE, BASIC, MID, ADV = "ninguno", "basico", "intermedio", "avanzado"

COMPONENTS = [
    {
        "slug": "transparencia",
        "name": "Transparencia y Acceso a la Información Pública",
        "description": "Normas, instancias y prácticas para garantizar el derecho de acceso a la información y publicar información útil en formatos abiertos.",
        "questions": [
            ("¿Cuenta el municipio con un reglamento de transparencia y una oficina especializada?", "", [
                ("No hay reglamento de transparencia aprobado ni una oficina especializada.", NONE),
                ("Hay un reglamento de transparencia aprobado por el Cabildo o Concejo y una oficina de Transparencia con manual de organización y procedimientos.", BASIC),
                ("Además, hay una política de apertura por diseño que evita duplicar procedimientos administrativos.", MID),
                ("Además, el gobierno municipal aprobó una declaración de gobierno abierto al más alto nivel.", ADV),
            ]),
            ("¿Cómo se asegura la calidad de la información que publica el municipio?", "Piense en la capacitación del personal, el portal web y el cumplimiento de las obligaciones de transparencia.", [
                ("No hay capacitación en transparencia ni revisión del portal web.", NONE),
                ("Se capacita al personal con el órgano garante y se evalúa la accesibilidad del portal web.", BASIC),
                ("Además, un programa de monitoreo mide el cumplimiento de las obligaciones de transparencia, según las verificaciones del órgano garante.", MID),
                ("Además, una plataforma de interoperabilidad comparte la información entre las áreas de la administración.", ADV),
            ]),
            ("¿Publica el municipio datos abiertos?", "", [
                ("La información se publica sólo para cumplir las obligaciones, sin formatos abiertos.", NONE),
                ("Se publica alguna información en formatos reutilizables, sin una política definida.", BASIC),
                ("Hay políticas de apertura de datos en formatos abiertos y de transparencia proactiva.", MID),
                ("Hay una estrategia de datos abiertos con línea base, metas y estándares de metadatos.", ADV),
            ]),
            ("¿Son abiertas las sesiones del Cabildo o Concejo?", "", [
                ("Las sesiones no son públicas ni se difunden.", NONE),
                ("Las sesiones son públicas y se publican sus actas.", BASIC),
                ("El reglamento del Cabildo garantiza la publicidad, apertura y transmisión de las sesiones.", MID),
                ("Además, un micrositio reúne los videos, los documentos y el calendario de las próximas sesiones y comisiones, con sus asuntos.", ADV),
            ]),
        ],
    },
    {
        "slug": "participacion",
        "name": "Participación Ciudadana",
        "description": "Marcos, canales y procesos para que la ciudadanía incida en las decisiones, el diseño de servicios y las políticas públicas.",
        "questions": [
            ("¿Existe un marco para la participación ciudadana en la gestión pública?", "", [
                ("No hay normas municipales sobre participación ciudadana.", NONE),
                ("Un reglamento prevé mecanismos de participación, incluida la consulta del Plan Municipal de Desarrollo.", BASIC),
                ("Además, una instancia con personal especializado promueve la participación ciudadana.", MID),
                ("Además, el derecho a participar en la gestión pública está reconocido legalmente y hay una estrategia de participación construida con actores clave.", ADV),
            ]),
            ("¿Cómo atiende el municipio las peticiones, quejas y sugerencias?", "", [
                ("No hay un mecanismo para recibirlas.", NONE),
                ("Se reciben, también en línea, y se les da seguimiento institucional.", BASIC),
                ("Además, hay procesos formales, presenciales y en línea, para comentar reglamentos y políticas.", MID),
                ("Además, se informa públicamente qué comentarios se recibieron, de quién y cómo se tomaron en cuenta.", ADV),
            ]),
            ("¿Se consulta a la población antes de decidir?", "", [
                ("No se consulta a la población.", NONE),
                ("Se hacen consultas puntuales con actores clave y se publica un calendario de actividades.", BASIC),
                ("Se realizan foros de discusión y votaciones en línea sobre políticas o reglamentos.", MID),
                ("Hay procesos en los que la decisión final queda en manos del público, con una justificación de cómo se tomaron en cuenta sus opiniones.", ADV),
            ]),
            ("¿Está preparado el personal para los procesos participativos?", "", [
                ("El personal no cuenta con orientación para procesos participativos.", NONE),
                ("Hay personal que atiende la participación, sin materiales de apoyo.", BASIC),
                ("Las personas servidoras públicas cuentan con materiales de apoyo claros para los procesos participativos.", MID),
                ("Hay una estrategia de gestión del cambio para llegar a la deliberación, la cocreación y el empoderamiento.", ADV),
            ]),
        ],
    },
    {
        "slug": "rendicion-de-cuentas",
        "name": "Rendición de Cuentas",
        "description": "Ética pública, información sobre resultados, control de la corrupción y contrataciones abiertas.",
        "questions": [
            ("¿Cuenta el municipio con normas e instancias de ética pública?", "", [
                ("No hay un Código de Ética aprobado.", NONE),
                ("Hay un Código de Ética aprobado por el Cabildo o Concejo y una unidad responsable de la ética pública.", BASIC),
                ("Además, hay mecanismos para prevenir conflictos de intereses en la toma de decisiones.", MID),
                ("Además, el municipio reconoce el derecho a vivir en un ambiente libre de corrupción, con medidas de reparación del daño.", ADV),
            ]),
            ("¿Cómo informa el gobierno de sus resultados?", "", [
                ("Los logros se comunican sin datos que los respalden.", NONE),
                ("Se informa de los avances y metas del Plan Municipal de Desarrollo, con datos abiertos.", BASIC),
                ("Un sistema de evaluación del desempeño, con indicadores medibles, se construye con la ciudadanía.", MID),
                ("Además, compromisos de gobierno abierto obligan a las personas funcionarias a responder y justificar sus acciones.", ADV),
            ]),
            ("¿Cómo se previene y sanciona la corrupción?", "", [
                ("No hay un sistema de quejas y denuncias sobre personas servidoras públicas.", NONE),
                ("Hay un sistema de quejas y denuncias y se publican las declaraciones de intereses y patrimoniales.", BASIC),
                ("Hay un Programa Municipal Anticorrupción con participación ciudadana.", MID),
                ("Los organismos anticorrupción y de vigilancia son independientes, coordinan la prevención, detección y sanción, e integran a la ciudadanía.", ADV),
            ]),
            ("¿Qué tan abiertas son las compras públicas?", "", [
                ("Sólo se publica lo que la ley obliga, cuando se publica.", NONE),
                ("Se publica completa la información obligatoria de las compras.", BASIC),
                ("Un plan de mejoras de las compras atiende los datos abiertos, la transparencia y la integridad.", MID),
                ("Las compras públicas siguen los estándares de contrataciones abiertas.", ADV),
            ]),
        ],
    },
    {
        "slug": "marco-de-politicas",
        "name": "Marco de Políticas para el Gobierno Abierto",
        "description": "Diagnóstico normativo, mandato, recursos, capacitación y coordinación para que el gobierno abierto sea política del municipio.",
        "questions": [
            ("¿Se ha revisado el marco normativo a la luz del gobierno abierto?", "", [
                ("No se ha revisado.", NONE),
                ("Se hizo un diagnóstico del marco normativo y reglamentario.", BASIC),
                ("Con base en el diagnóstico, hay reformas en curso para promover el gobierno abierto.", MID),
                ("Reformas administrativas dan a las dependencias atribuciones para la transparencia proactiva, la participación y la rendición de cuentas.", ADV),
            ]),
            ("¿Quién impulsa el gobierno abierto en el municipio?", "", [
                ("Ningún área lo tiene a su cargo.", NONE),
                ("Un área tiene el mandato y recursos humanos, financieros y técnicos para el gobierno abierto.", BASIC),
                ("Además, se capacita en gobierno abierto al personal de todas las áreas y a la ciudadanía interesada.", MID),
                ("Además, las iniciativas se coordinan entre niveles de gobierno, alineadas con el Plan Municipal de Desarrollo.", ADV),
            ]),
            ("¿Hay un plan o estrategia de gobierno abierto?", "", [
                ("No hay un plan ni una estrategia.", NONE),
                ("El gobierno abierto se menciona en el Plan Municipal de Desarrollo.", BASIC),
                ("Hay una estrategia de gobierno abierto con compromisos y responsables.", MID),
                ("La estrategia se diseña, se sigue y se evalúa con la sociedad civil en un espacio multiactor.", ADV),
            ]),
        ],
    },
    {
        "slug": "innovacion",
        "name": "Innovación Pública",
        "description": "Herramientas digitales y colaboración con actores externos para cocrear soluciones a problemas públicos.",
        "questions": [
            ("¿Usa el municipio herramientas digitales en su relación con la ciudadanía?", "", [
                ("Los trámites y servicios se atienden sólo en papel y en ventanilla.", NONE),
                ("Se usan herramientas electrónicas en trámites y servicios.", BASIC),
                ("Hay herramientas digitales para cocrear soluciones con la ciudadanía.", MID),
                ("Una agenda de transformación digital atiende la gestión del cambio, la capacitación, la infraestructura y las brechas digitales.", ADV),
            ]),
            ("¿Colabora el municipio con personas ajenas a la administración para resolver problemas públicos?", "", [
                ("No se convoca a personas ajenas a la administración.", NONE),
                ("Se colabora ocasionalmente con la academia o la sociedad civil.", BASIC),
                ("Hay iniciativas para convocar talento externo que ayude a construir soluciones.", MID),
                ("Hay convocatorias de retos públicos y mesas de diálogo, incluidos grupos minoritarios, para cocrear soluciones.", ADV),
            ]),
        ],
    },
]

RECOMMENDATIONS = {
    "transparencia": {
        "basico": [
            'Desarrollar un reglamento de transparencia y acceso a la información pública que ofrezca claridad en la organización y en los procedimientos internos relacionados con la gestión de archivos, el procesamiento de solicitudes de información pública y la generación de información y datos, y aprobarlo mediante el órgano de gobierno (Cabildo o Concejo).',
            'Instalar una oficina especializada de Transparencia en la gestión del derecho de acceso a la información pública, de conformidad con las características y requerimientos del marco jurídico respectivo. Se recomienda que la oficina de Transparencia tenga nivel de dirección general o similar, con manual de organización y procedimientos aprobado por el órgano de gobierno.',
            'Promover capacitación y sensibilización de la importancia de contar con un gobierno transparente en todas sus áreas y procesos, en coordinación con el órgano garante de transparencia.',
            'Implementar un mecanismo de evaluación del portal web que considere elementos básicos de accesibilidad y experiencia del usuario que faciliten el acceso a la información pública.',
        ],
        "intermedio": [
            'Incorporar prácticas de transparencia en el reglamento del Cabildo para garantizar la publicidad, apertura y transmisión de las sesiones deliberativas del órgano de gobierno (Cabildo o Concejo).',
            'Establecer una política de apertura por diseño, para evitar duplicidades en procedimientos administrativos.',
            'Desarrollar un programa de monitoreo para evaluar el nivel de cumplimiento en las obligaciones de transparencia, de acuerdo con las verificaciones del órgano garante de transparencia local.',
            'Desarrollar políticas que garanticen las condiciones institucionales de apertura de datos en formatos abiertos, facilitando la reutilización de la información pública y la transparencia proactiva.',
            'Generar un micrositio o sección del portal web en el que se puedan acceder de manera proactiva a los videos de las sesiones de Cabildo anteriores, los documentos relacionados, así como a un calendario de las próximas sesiones de Cabildo y comisiones, y los asuntos que se tratarán en ellas.',
        ],
        "avanzado": [
            'Aprobar una declaración de gobierno abierto al más alto nivel de gobierno.',
            'Desarrollar una estrategia específica de datos abiertos que sirva de línea base para el desarrollo de evaluaciones, e identificar logros esperados y avances significativos.',
            'Desarrollar una plataforma de interoperabilidad al interior de la administración pública.',
            'Consolidar una política de datos abiertos que incluya adopción de formatos abiertos de estándares para metadatos que faciliten la reutilización de la información pública.',
        ],
    },
    "participacion": {
        "basico": [
            'Desarrollar marcos institucionales y reglamentarios que permitan establecer mecanismos de participación ciudadana en la gestión pública, los cuales incluyan la incorporación de consultas y propuestas durante el diseño de las políticas, especialmente de los instrumentos de planificación (Plan Municipal de Desarrollo, etc).',
            'Implementar mecanismos adecuados de atención ciudadana que permitan atender peticiones, quejas, sugerencias ciudadanas, ofreciendo un seguimiento institucional.',
            'Generar instrumentos de consulta que enriquezcan el proceso de toma de decisiones en los que sean integrados actores clave o partes interesadas sobre las políticas públicas y servicios.',
            'Desarrollar un sistema de peticiones o atención online, que permita enviar a la ciudadanía opiniones, quejas o sugerencias al gobierno municipal.',
            'Integrar y publicar un calendario de actividades',
        ],
        "intermedio": [
            'Promover foros de discusión con el fin de consultar a la población sobre determinados asuntos públicos.',
            'Establecer procesos formales de participación, por medios físicos y como virtuales (participación electrónica) para ofrecer a la ciudadanía de forma estructurada la posibilidad de comentar sobre reglamentos, leyes o políticas.',
            'Brindar materiales de apoyo suficientemente claros para que las personas servidoras públicas involucradas en los procesos de toma de decisiones.',
            'Asignar una instancia promotora de la participación ciudadana, con personal técnico especializado en procesos participativos.',
            'Consolidar mecanismos de votaciones online para sistematizar la opinión de ciudadanos sobre determinadas políticas o reglamentos del gobierno local.',
        ],
        "avanzado": [
            'Desarrollar una estrategia de gestión del cambio en el nivel central del gobierno para avanzar hacia procesos participativos y proactivos que habiliten niveles más avanzados de participación ciudadana (deliberación, cocreación, empoderamiento).',
            'Generar una estrategia de participación ciudadana que incorpore en su diseño, implementación y evaluación, la colaboración de actores clave y la discusión y deliberación en el seno del órgano de gobierno (Cabildo o Concejo).',
            'Reconocer legalmente el derecho a participar en la gestión pública, habilitando canales con estándares básicos, pero flexibles, para que la ciudadanía pueda incidir de diferentes formas en los procesos de toma de decisión, diseño de servicios y políticas públicas.',
            'Consolidar un sistema de participación electrónica que ofrezca informes sobre las respuestas recibidas en los procesos y quiénes participaron con comunicaciones escritas o en audiencias públicas, junto con las principales observaciones presentadas, y el razonamiento por escrito explicando cómo los comentarios recibidos se tuvieron en cuenta debiendo estar todo ello disponible en un lugar de fácil acceso para que cualquier persona pueda encontrarlo y consultarlo.',
            'Desplegar procesos participativos que tengan por objeto colocar la decisión final en manos del público. Todos los comentarios deben ser revisados y las perspectivas presentadas deben incorporarse en la documentación sobre la decisión final. Se debe entregar una justificación detallada sobre el porqué y el cómo se han tenido en cuenta las opiniones del público.',
            'Crear un compromiso relacionado con mejorar la manera en que la ciudadanía puede conocer el proceso de la toma de decisiones y habilitar canales para su participación.',
        ],
    },
    "rendicion-de-cuentas": {
        "basico": [
            'Incorporar en las estrategias de comunicación política la información sobre logros, avances y metas del Plan de Desarrollo Municipal, acompañado de datos abiertos.',
            'Diseñar y aprobar en el órgano de gobierno (Cabildo, Concejo) un Código de Ética o conducta que defina normas de comportamiento de las personas servidoras públicas.',
            'Fortalecer los mecanismos para transparentar de manera proactiva en las declaraciones de intereses, el registro de bienes patrimoniales de altos funcionarios públicos, y las declaraciones fiscales.',
            'Establecer una unidad responsable de la ética pública, con base en normatividad aprobada por el órgano de gobierno.',
            'Diseñar un sistema de quejas y denuncias de personas servidoras públicas.',
        ],
        "intermedio": [
            'Iniciar un Programa Municipal Anticorrupción, considerando diversos mecanismos de participación ciudadana en su diseño, desarrollo y evaluación.',
            'Promover la cultura de monitoreo, evaluación y aprendizaje entre los funcionarios públicos aumentando su capacidad para llevar a cabo ejercicios regulares, integrando mecanismos de participación ciudadana y la colaboración de actores clave de sociedad civil.',
            'Consolidar un sistema de evaluación del desempeño que integre indicadores relevantes, medibles y comparables, para identificar resultados e impactos en colaboración con la ciudadanía.',
            'Promover el desarrollo de compromisos de gobierno abierto o ejes estratégicos desarrollados en el marco de un Espacio Multiactor, que puedan fortalecer las capacidades de rendición de cuentas del gobierno municipal integrando mecanismos de participación ciudadana en el diseño, implementación y evaluación.',
            'Desarrollar un plan de mejoras del proceso de compras y adquisiciones que permita identificar áreas de oportunidad y mejora en la generación de datos abiertos, la transparencia y integridad del proceso.',
            'Habilitar mecanismos de participación ciudadana para que la ciudadanía tenga la posibilidad de cuestionar la información, acciones y decisiones del gobierno.',
            'Diseñar mecanismos de prevención a los posibles Conflictos de Intereses en el proceso de toma de decisiones.',
        ],
        "avanzado": [
            'Desarrollar acciones para promover o fortalecer las capacidades de los organismos de supervisión y vigilancia independientes que incorporen mecanismos de participación ciudadana en su integración y toma de decisiones.',
            'Reconocer legalmente, en el marco de sus atribuciones, el derecho de las personas a vivir en un ambiente libre de corrupción, y la obligación del gobierno de desarrollar las acciones encaminadas para garantizar el derecho y establecer las medidas de reparación del daño adecuadas.',
            'Incluir un eje estratégico o un compromiso en el marco de una estrategia de gobierno abierto que contribuya a crear reglamentos, normas o mecanismos para contribuir a que las personas funcionarias respondan y justifiquen sus acciones.',
            'Desarrollar acciones encaminadas a fortalecer la coordinación de las acciones institucionales en los elementos de prevención, detección y sanción de la corrupción en escala municipal.',
            'Implementar reformas para fortalecer la independencia y eficacia de los organismos anticorrupción municipales en el marco de sus atribuciones.',
            'Consolidar los procedimientos y mecanismos de compras públicas bajo los estándares de contrataciones abiertas.',
        ],
    },
    "marco-de-politicas": {
        "basico": [
            'Iniciar con diagnósticos del marco normativo y reglamentario para identificar áreas de oportunidad y mejora que fortalezca las acciones de gobierno abierto de manear integral.',
            'Otorgar un mandato a personas servidoras públicas o áreas de gobierno, así como recursos humanos, financieros y técnicos adecuados.',
        ],
        "intermedio": [
            'Promover la capacitación en materia de gobierno abierto de las personas servidoras públicas en todas las áreas de gobierno, así como hacia la ciudadanía interesada, para garantizar una exitosa implementación y evitar o superar obstáculos relacionados con la resistencia al cambio.',
            'Coordinar estrategias e iniciativas de gobierno abierto a través de todos los niveles de gobierno para garantizar que puedan estar alineados con la estrategia marco (Plan de Desarrollo Municipal) y sean relevantes y significativos para la sociedad.',
        ],
        "avanzado": [
            'Implementar reformas administrativas para garantizar que las personas funcionarias públicas y las dependencias cuenten con las atribuciones y la capacitación necesaria para que puedan promover mecanismos de transparencia proactiva, participación ciudadana y rendición de cuentas en sus propios planes y programas.',
        ],
    },
    "innovacion": {
        "basico": [
            'Promover el uso de herramientas electrónicas para aumentar la eficacia en servicios y mejorar la transparencia.',
        ],
        "intermedio": [
            'Promover el uso de herramientas digitales para la interacción entre la administración y la ciudadanía para co-crear soluciones a desafíos comunes y de orden público.',
            'Impulsar iniciativas para convocar talento externo a la administración pública para que coadyuve a construir soluciones.',
        ],
        "avanzado": [
            'Desarrollar convocatorias para resolver retos públicos, generando espacios de diálogo horizontal con actores representantes de todos los sectores del municipio o facilitando mesas de diálogo con grupos minoritarios para co-crear soluciones sostenibles a desafíos de orden público municipal.',
            'Desarrollar una agenda de transformación digital que considere la gestión del cambio, capacitación del personal, inversión de infraestructura y tecnología y brechas digitales.',
        ],
    },
}


def load(apps, schema_editor=None) -> None:
    """Create each component that is missing, with its questions and recommendations."""
    Component = apps.get_model("hub", "AssessmentComponent")
    Question = apps.get_model("hub", "AssessmentQuestion")
    Recommendation = apps.get_model("hub", "AssessmentRecommendation")
    for order, spec in enumerate(COMPONENTS):
        if Component.objects.filter(slug=spec["slug"]).exists():
            continue
        component = Component.objects.create(
            slug=spec["slug"], name=spec["name"], description=spec["description"],
            sort_order=order,
        )
        for position, (text, help_text, options) in enumerate(spec["questions"]):
            Question.objects.create(
                component=component, sort_order=position, text=text, help_text=help_text,
                options=[{"type": "option", "id": str(uuid.uuid4()),
                          "value": {"label": label, "level": level}}
                         for label, level in options],
            )
        position = 0
        for level, texts in RECOMMENDATIONS[spec["slug"]].items():
            for text in texts:
                Recommendation.objects.create(component=component, level=level, text=text,
                                              sort_order=position)
                position += 1
