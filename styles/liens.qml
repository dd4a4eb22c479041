<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis styleCategories="Symbology|Temporal" version="3.22.0-Białowieża">
  <renderer-v2 type="categorizedSymbol" attr="type_action" enableorderby="0" forceraster="0" referencescale="-1" symbollevels="0">
    <categories>
      <category label="Coopération décentralisée" render="true" symbol="0" value="cooperation_decentralisee" />
      <category label="Autre action extérieure" render="true" symbol="1" value="action_exterieure" />
      <category label="Demande de coopération (Bourse projets)" render="true" symbol="2" value="demande_cooperation" />
      <category label="Non renseigné" render="true" symbol="3" value="" />
    </categories>
    <symbols>
      <symbol alpha="0.5" clip_to_extent="1" force_rhr="0" name="0" type="line">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value="" />
            <Option name="properties" />
            <Option name="type" type="QString" value="collection" />
          </Option>
        </data_defined_properties>
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="round" />
            <Option name="joinstyle" type="QString" value="round" />
            <Option name="line_color" type="QString" value="31,95,191,255" />
            <Option name="line_style" type="QString" value="solid" />
            <Option name="line_width" type="QString" value="0.2646" />
            <Option name="line_width_unit" type="QString" value="MM" />
            <Option name="offset" type="QString" value="0" />
            <Option name="offset_unit" type="QString" value="MM" />
            <Option name="use_custom_dash" type="QString" value="0" />
          </Option>
          <prop k="capstyle" v="round" />
          <prop k="joinstyle" v="round" />
          <prop k="line_color" v="31,95,191,255" />
          <prop k="line_style" v="solid" />
          <prop k="line_width" v="0.2646" />
          <prop k="line_width_unit" v="MM" />
          <prop k="offset" v="0" />
          <prop k="offset_unit" v="MM" />
          <prop k="use_custom_dash" v="0" />
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value="" />
              <Option name="properties" />
              <Option name="type" type="QString" value="collection" />
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
      <symbol alpha="0.5" clip_to_extent="1" force_rhr="0" name="1" type="line">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value="" />
            <Option name="properties" />
            <Option name="type" type="QString" value="collection" />
          </Option>
        </data_defined_properties>
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="round" />
            <Option name="joinstyle" type="QString" value="round" />
            <Option name="line_color" type="QString" value="242,197,0,255" />
            <Option name="line_style" type="QString" value="solid" />
            <Option name="line_width" type="QString" value="0.2646" />
            <Option name="line_width_unit" type="QString" value="MM" />
            <Option name="offset" type="QString" value="0" />
            <Option name="offset_unit" type="QString" value="MM" />
            <Option name="use_custom_dash" type="QString" value="0" />
          </Option>
          <prop k="capstyle" v="round" />
          <prop k="joinstyle" v="round" />
          <prop k="line_color" v="242,197,0,255" />
          <prop k="line_style" v="solid" />
          <prop k="line_width" v="0.2646" />
          <prop k="line_width_unit" v="MM" />
          <prop k="offset" v="0" />
          <prop k="offset_unit" v="MM" />
          <prop k="use_custom_dash" v="0" />
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value="" />
              <Option name="properties" />
              <Option name="type" type="QString" value="collection" />
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
      <symbol alpha="0.5" clip_to_extent="1" force_rhr="0" name="2" type="line">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value="" />
            <Option name="properties" />
            <Option name="type" type="QString" value="collection" />
          </Option>
        </data_defined_properties>
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="round" />
            <Option name="joinstyle" type="QString" value="round" />
            <Option name="line_color" type="QString" value="214,39,40,255" />
            <Option name="line_style" type="QString" value="solid" />
            <Option name="line_width" type="QString" value="0.2646" />
            <Option name="line_width_unit" type="QString" value="MM" />
            <Option name="offset" type="QString" value="0" />
            <Option name="offset_unit" type="QString" value="MM" />
            <Option name="use_custom_dash" type="QString" value="0" />
          </Option>
          <prop k="capstyle" v="round" />
          <prop k="joinstyle" v="round" />
          <prop k="line_color" v="214,39,40,255" />
          <prop k="line_style" v="solid" />
          <prop k="line_width" v="0.2646" />
          <prop k="line_width_unit" v="MM" />
          <prop k="offset" v="0" />
          <prop k="offset_unit" v="MM" />
          <prop k="use_custom_dash" v="0" />
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value="" />
              <Option name="properties" />
              <Option name="type" type="QString" value="collection" />
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
      <symbol alpha="0.5" clip_to_extent="1" force_rhr="0" name="3" type="line">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value="" />
            <Option name="properties" />
            <Option name="type" type="QString" value="collection" />
          </Option>
        </data_defined_properties>
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="round" />
            <Option name="joinstyle" type="QString" value="round" />
            <Option name="line_color" type="QString" value="217,217,217,255" />
            <Option name="line_style" type="QString" value="solid" />
            <Option name="line_width" type="QString" value="0.2646" />
            <Option name="line_width_unit" type="QString" value="MM" />
            <Option name="offset" type="QString" value="0" />
            <Option name="offset_unit" type="QString" value="MM" />
            <Option name="use_custom_dash" type="QString" value="0" />
          </Option>
          <prop k="capstyle" v="round" />
          <prop k="joinstyle" v="round" />
          <prop k="line_color" v="217,217,217,255" />
          <prop k="line_style" v="solid" />
          <prop k="line_width" v="0.2646" />
          <prop k="line_width_unit" v="MM" />
          <prop k="offset" v="0" />
          <prop k="offset_unit" v="MM" />
          <prop k="use_custom_dash" v="0" />
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value="" />
              <Option name="properties" />
              <Option name="type" type="QString" value="collection" />
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
    </symbols>
    <source-symbol>
      <symbol alpha="0.5" clip_to_extent="1" force_rhr="0" name="0" type="line">
        <data_defined_properties>
          <Option type="Map">
            <Option name="name" type="QString" value="" />
            <Option name="properties" />
            <Option name="type" type="QString" value="collection" />
          </Option>
        </data_defined_properties>
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="capstyle" type="QString" value="round" />
            <Option name="joinstyle" type="QString" value="round" />
            <Option name="line_color" type="QString" value="217,217,217,255" />
            <Option name="line_style" type="QString" value="solid" />
            <Option name="line_width" type="QString" value="0.2646" />
            <Option name="line_width_unit" type="QString" value="MM" />
            <Option name="offset" type="QString" value="0" />
            <Option name="offset_unit" type="QString" value="MM" />
            <Option name="use_custom_dash" type="QString" value="0" />
          </Option>
          <prop k="capstyle" v="round" />
          <prop k="joinstyle" v="round" />
          <prop k="line_color" v="217,217,217,255" />
          <prop k="line_style" v="solid" />
          <prop k="line_width" v="0.2646" />
          <prop k="line_width_unit" v="MM" />
          <prop k="offset" v="0" />
          <prop k="offset_unit" v="MM" />
          <prop k="use_custom_dash" v="0" />
          <data_defined_properties>
            <Option type="Map">
              <Option name="name" type="QString" value="" />
              <Option name="properties" />
              <Option name="type" type="QString" value="collection" />
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
    </source-symbol>
    <rotation />
    <sizescale />
  </renderer-v2>
  <temporal accumulate="0" durationField="" durationUnit="min" enabled="1" endExpression="coalesce(make_datetime(&quot;annee_fin&quot;+1,1,1,0,0,0),make_datetime(9999,1,1,0,0,0))" endField="" fixedDuration="0" limitMode="0" mode="4" startExpression="make_datetime(&quot;annee_lancement&quot;,1,1,0,0,0)" startField="">
    <fixedRange>
      <start />
      <end />
    </fixedRange>
  </temporal>
  <blendMode>0</blendMode>
  <featureBlendMode>0</featureBlendMode>
  <layerGeometryType>1</layerGeometryType>
</qgis>
